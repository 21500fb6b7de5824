package io.milvus.upgrade.server;

import io.milvus.upgrade.certs.CertificateFormatException;
import io.milvus.upgrade.certs.Pem;
import io.milvus.upgrade.certs.TlsDirectory;
import java.io.IOException;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.crypto.spec.PBEParameterSpec;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.eclipse.jetty.http2.HTTP2Cipher;
import org.eclipse.jetty.util.ssl.SslContextFactory;

/**
 * The server side of TLS: TLS 1.2 and 1.3 only, the key pair from a {@link TlsDirectory}, and
 * {@link #reload()} to swap in a renewed key pair without dropping connections.
 */
public final class TlsContext {

    private static final char[] IN_MEMORY_PASSWORD = "in-memory".toCharArray();
    /**
     * The key store never leaves memory, so encrypting the key in it protects nothing; PKCS12's
     * default (PBKDF2, 10,000 rounds, once to store and once to read) cost ~100 ms of start-up.
     */
    private static final KeyStore.PasswordProtection IN_MEMORY_PROTECTION = new KeyStore.PasswordProtection(
            IN_MEMORY_PASSWORD, "PBEWithHmacSHA256AndAES_256", new PBEParameterSpec(new byte[16], 1));

    /**
     * Mozilla's intermediate profile: TLS 1.3's suites, and on TLS 1.2 only forward-secret AEAD
     * suites; the JDK's defaults also offer CBC suites on TLS 1.2.
     */
    static final String[] INTERMEDIATE_CIPHER_SUITES = {
            "TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384", "TLS_CHACHA20_POLY1305_SHA256",
            "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
            "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384", "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
            "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256", "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256"};

    private final TlsDirectory directory;
    private final SslContextFactory.Server factory = new SslContextFactory.Server();
    private volatile java.time.Instant expiry;

    public TlsContext(TlsDirectory directory) throws IOException, CertificateFormatException {
        this.directory = directory;
        factory.setIncludeProtocols("TLSv1.3", "TLSv1.2");
        factory.setIncludeCipherSuites(INTERMEDIATE_CIPHER_SUITES);
        factory.setCipherComparator(HTTP2Cipher.COMPARATOR);
        factory.setSniRequired(false);
        factory.setKeyStore(keyStore());
        factory.setKeyStorePassword(new String(IN_MEMORY_PASSWORD));
        // The server asks for no client certificate, so it trusts none. Left unset, JSSE would
        // load the JDK's ~150 CA certificates instead, at start-up and in vain.
        factory.setTrustStore(emptyKeyStore());
    }

    private static KeyStore emptyKeyStore() throws IOException {
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            return store;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK has no PKCS12 key stores", e);
        }
    }

    /**
     * Loads and initialises the JCA and JSSE parts a context uses, without a key pair, so that a
     * second thread can do it while the process is busy with other start-up work.
     */
    public static void preload() throws GeneralSecurityException, IOException {
        CertificateFactory.getInstance("X.509");
        KeyFactory.getInstance("EC");
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(emptyKeyStore());
        SSLContext.getInstance("TLS").init(null, trust.getTrustManagers(), null);
    }

    SslContextFactory.Server factory() {
        return factory;
    }

    /** Reads the key pair again; new handshakes use it, open connections keep theirs. */
    public void reload() throws Exception {
        KeyStore store = keyStore();
        factory.reload(f -> f.setKeyStore(store));
    }

    /** When the serving certificate now loaded expires. */
    public java.time.Instant servingCertificateExpiry() {
        return expiry;
    }

    private KeyStore keyStore() throws IOException, CertificateFormatException {
        List<X509Certificate> chain = Pem.readCertificates(Files.readString(directory.certificate()));
        PrivateKey key = Pem.readPrivateKey(Files.readString(directory.key()));
        try {
            KeyStore store = emptyKeyStore();
            store.setEntry("serving", new KeyStore.PrivateKeyEntry(key, chain.toArray(Certificate[]::new)), IN_MEMORY_PROTECTION);
            expiry = chain.getFirst().getNotAfter().toInstant();
            return store;
        } catch (GeneralSecurityException e) {
            throw new CertificateFormatException("the key in " + directory.key() + " does not fit the certificate in "
                    + directory.certificate() + ": " + e.getMessage());
        }
    }
}
