package io.milvus.upgrade.localstack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A real S3-compatible object store on 127.0.0.1: Versity S3 Gateway (versitygw) with its posix
 * backend, where a bucket is a directory. Milvus Operator's dependency check asks it for the
 * location of {@link #BUCKET} (S3 GetBucketLocation) before it creates any Deployment.
 */
public final class S3Store implements AutoCloseable {

    /** The bucket Milvus Operator checks when a Milvus names none (its pkg/controllers/utils.go, defaultBucketName). */
    public static final String BUCKET = "milvus-bucket";

    private final Process process;
    private final int port;
    private final String accessKey = "milvus-" + UUID.randomUUID().toString().substring(0, 8);
    private final String secretKey = UUID.randomUUID().toString();

    private S3Store(OperatorInstall install, Path dir) throws IOException {
        Path data = Files.createDirectories(dir.resolve("data"));
        Files.createDirectories(data.resolve(BUCKET));
        this.port = ControlPlane.freePort();
        this.process = ExternalProcess.start(dir.resolve("versitygw.log"), dir,
                List.of(install.versitygw().toString(), "--port", "127.0.0.1:" + port, "posix", "--nometa", data.toString()),
                Map.of("ROOT_ACCESS_KEY", accessKey, "ROOT_SECRET_KEY", secretKey));
    }

    public static S3Store start(OperatorInstall install, Path dir) {
        try {
            Files.createDirectories(dir);
            S3Store store = new S3Store(install, dir);
            store.awaitListening(dir.resolve("versitygw.log"));
            return store;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void awaitListening(Path log) {
        Poll.until(Duration.ofSeconds(30), "versitygw listening on 127.0.0.1:" + port + " (log: " + log + ")", () -> {
            if (!process.isAlive()) throw new IllegalStateException("versitygw exited with " + process.exitValue() + "; see " + log);
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
                return true;
            } catch (IOException e) {
                return false;
            }
        });
    }

    public String endpoint() {
        return "127.0.0.1:" + port;
    }

    public String accessKey() {
        return accessKey;
    }

    public String secretKey() {
        return secretKey;
    }

    @Override
    public void close() {
        JavaProcess.stop(process);
    }
}
