package io.milvus.upgrade.localstack;

import io.milvus.upgrade.certs.Pem;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/** An HTTP client that trusts only the given {@code ca.crt}, as the apiserver does with a caBundle. */
public final class HttpsClient {

    private final HttpClient client;
    private final String base;

    public HttpsClient(Path caCertificate, int port, HttpClient.Version version) {
        this.client = HttpClient.newBuilder().version(version).sslContext(trusting(caCertificate))
                .connectTimeout(Duration.ofSeconds(5)).build();
        this.base = "https://127.0.0.1:" + port;
    }

    public HttpResponse<String> post(String path, byte[] body) throws IOException, InterruptedException {
        return client.send(HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(20))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    public HttpResponse<String> post(String path, String body) throws IOException, InterruptedException {
        return post(path, body.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    public HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return client.send(HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(20)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    public HttpClient raw() {
        return client;
    }

    public String base() {
        return base;
    }

    public static SSLContext trusting(Path caCertificate) {
        try {
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            int i = 0;
            for (X509Certificate ca : Pem.readCertificates(Files.readString(caCertificate))) {
                trust.setCertificateEntry("ca" + i++, ca);
            }
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(trust);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, factory.getTrustManagers(), null);
            return context;
        } catch (Exception e) {
            throw new IllegalStateException("cannot trust " + caCertificate + ": " + e.getMessage(), e);
        }
    }
}
