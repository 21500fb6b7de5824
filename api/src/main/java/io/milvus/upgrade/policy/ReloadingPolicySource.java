package io.milvus.upgrade.policy;

import io.milvus.upgrade.log.LogEvent;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The policy from a file, re-read when its content changes. The file is polled rather than
 * watched: a mounted ConfigMap changes by swapping a symlinked directory, which file watches
 * miss or report twice. A file that does not parse is refused with a log line (and whatever the
 * {@link Listener} reports, the programs' metrics), and the last good policy stays in force.
 */
public final class ReloadingPolicySource implements PolicySource, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ReloadingPolicySource.class);

    /** Told of every read of the file, for the metrics; the model stays free of a metrics library. */
    public interface Listener {
        Listener NONE = new Listener() {
        };

        /** The file was read at start-up. */
        default void loaded() {
        }

        /** A changed file took effect. */
        default void reloaded() {
        }

        /** A file that cannot be read or parsed was refused; the last good policy stays. */
        default void refused() {
        }
    }

    private final Path file;
    private final Listener listener;
    private final ScheduledExecutorService poller;
    private volatile UpgradePolicy current;
    private volatile byte[] lastContent;

    private ReloadingPolicySource(Path file, UpgradePolicy initial, byte[] content, Listener listener) {
        this.file = file;
        this.listener = listener;
        this.current = initial;
        this.lastContent = content;
        this.poller = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("policy-reload").daemon().factory());
    }

    /**
     * Reads {@code file} now (a bad file at start-up is an error: better no webhook than a more
     * permissive one than the admin wrote) and re-reads it every {@code interval}.
     */
    public static ReloadingPolicySource start(Path file, Duration interval) throws PolicyException {
        return start(file, interval, Listener.NONE);
    }

    public static ReloadingPolicySource start(Path file, Duration interval, Listener listener) throws PolicyException {
        byte[] content = read(file);
        UpgradePolicy initial = PolicyFile.parse(new String(content, java.nio.charset.StandardCharsets.UTF_8), file.toString());
        ReloadingPolicySource source = new ReloadingPolicySource(file, initial, content, listener);
        listener.loaded();
        LogEvent.info(LOG, "policy_loaded").addKeyValue("file", file).log();
        source.poller.scheduleWithFixedDelay(source::reloadIfChanged, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
        return source;
    }

    @Override
    public UpgradePolicy current() {
        return current;
    }

    /** Re-reads the file if its content changed; returns whether a new policy took effect. */
    public synchronized boolean reloadIfChanged() {
        byte[] content;
        try {
            content = read(file);
        } catch (PolicyException e) {
            refuse(e.getMessage());
            return false;
        }
        if (Arrays.equals(content, lastContent)) {
            return false;
        }
        lastContent = content;
        try {
            current = PolicyFile.parse(new String(content, java.nio.charset.StandardCharsets.UTF_8), file.toString());
        } catch (PolicyException e) {
            refuse(e.getMessage());
            return false;
        }
        listener.reloaded();
        LogEvent.info(LOG, "policy_reloaded").addKeyValue("file", file).log();
        return true;
    }

    private void refuse(String reason) {
        listener.refused();
        LogEvent.error(LOG, "policy_refused")
                .addKeyValue("file", file)
                .addKeyValue("reason", reason)
                .addKeyValue("action", "keeping the last good policy").log();
    }

    private static byte[] read(Path file) throws PolicyException {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new PolicyException("cannot read policy file " + file + ": " + e);
        }
    }

    @Override
    public void close() {
        poller.shutdownNow();
    }
}
