package io.milvus.upgrade.server;

import io.milvus.upgrade.certs.TlsDirectory;
import io.milvus.upgrade.log.LogEvent;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reloads the server's key pair when {@code tls.crt} or {@code tls.key} change: renewed by our
 * own certificate manager, or by cert-manager through a mounted Secret (a symlink swap, which
 * file watches miss; hence polling). A pair that does not load is logged and the old one kept.
 */
public final class TlsFileWatcher implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(TlsFileWatcher.class);

    private final TlsDirectory directory;
    private final TlsContext context;
    private final ScheduledExecutorService poller = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("tls-reload").daemon().factory());
    private byte[] loaded;

    private TlsFileWatcher(TlsDirectory directory, TlsContext context) throws IOException {
        this.directory = directory;
        this.context = context;
        this.loaded = snapshot();
    }

    public static TlsFileWatcher start(TlsDirectory directory, TlsContext context, Duration interval) throws IOException {
        TlsFileWatcher watcher = new TlsFileWatcher(directory, context);
        watcher.poller.scheduleWithFixedDelay(watcher::reloadIfChanged, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
        return watcher;
    }

    synchronized void reloadIfChanged() {
        try {
            byte[] now = snapshot();
            if (Arrays.equals(now, loaded)) return;
            String unsafe = directory.writableByOthers();
            if (unsafe != null) {
                LogEvent.warn(LOG, "tls_reload_refused")
                        .addKeyValue("dir", directory.dir())
                        .addKeyValue("reason", unsafe + " is writable by group or others")
                        .addKeyValue("action", "keeping the current key pair").log();
                return;
            }
            context.reload();
            loaded = now;
            LogEvent.info(LOG, "tls_reloaded").addKeyValue("dir", directory.dir()).log();
        } catch (Exception e) {
            // Often the certificate and key caught between two writes: the next poll sees both.
            LogEvent.warn(LOG, "tls_reload_failed")
                    .addKeyValue("dir", directory.dir())
                    .addKeyValue("error", e.getMessage())
                    .addKeyValue("action", "keeping the current key pair").log();
        }
    }

    private byte[] snapshot() throws IOException {
        byte[] cert = Files.readAllBytes(directory.certificate());
        byte[] key = Files.readAllBytes(directory.key());
        byte[] both = Arrays.copyOf(cert, cert.length + key.length);
        System.arraycopy(key, 0, both, cert.length, key.length);
        return both;
    }

    @Override
    public void close() {
        poller.shutdownNow();
    }
}
