package io.milvus.upgrade.controller.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The shaded controller jar, run as its own process, as it runs in a pod. */
final class ControllerProcess implements AutoCloseable {

    static final Path JAR = io.milvus.upgrade.localstack.Repository.root().resolve("controller/target/milvus-upgrade-controller.jar");

    private final Process process;
    private final Path log;
    private final int metricsPort;
    final String identity;

    private ControllerProcess(Process process, Path log, int metricsPort, String identity) {
        this.process = process;
        this.log = log;
        this.metricsPort = metricsPort;
        this.identity = identity;
    }

    static ControllerProcess start(Path kubeconfig, String identity, Path logDir, String... extra) {
        if (!Files.isRegularFile(JAR)) {
            throw new IllegalStateException(JAR.toAbsolutePath() + " is missing: run the e2e tests through 'mvn verify', after package");
        }
        try {
            int port = freePort();
            Path log = logDir.resolve("controller-" + identity + "-" + System.nanoTime() + ".log");
            List<String> command = new ArrayList<>(List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", JAR.toString(),
                    "--kubeconfig", kubeconfig.toString(),
                    "--namespace", "milvus-upgrade-system",
                    "--identity", identity,
                    "--settle-period", "1s",
                    "--healthy-timeout", "60s",
                    "--lease-duration", "4s",
                    "--resync", "30s",
                    "--metrics-bind", "127.0.0.1",
                    "--metrics-port", Integer.toString(port)));
            command.addAll(List.of(extra));
            Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            return new ControllerProcess(process, log, port, identity);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** SIGKILL: no shutdown hook, no Lease release, as when a node dies. */
    void kill() {
        process.destroyForcibly();
        waitForExit();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** The Prometheus text, or "" while the server is not up. */
    String metrics() {
        try {
            HttpResponse<String> response = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + metricsPort + "/metrics")).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.ofString());
            return response.body();
        } catch (IOException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }

    String log() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    private void waitForExit() {
        try {
            if (!process.waitFor(20, TimeUnit.SECONDS)) process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** SIGTERM: the shutdown hook releases the Lease. */
    @Override
    public void close() {
        process.destroy();
        waitForExit();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
