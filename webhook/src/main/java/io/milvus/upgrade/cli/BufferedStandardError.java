package io.milvus.upgrade.cli;

import java.io.BufferedOutputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.Charset;
import java.time.Duration;

/**
 * Standard error for a serving process, where the log goes: written out every {@link #INTERVAL}
 * and when the server stops, not line by line. One line per review made a {@code write} call per
 * review, about a twentieth of the server's CPU under load; now it is a few calls a second. A
 * crash loses at most the last {@link #INTERVAL} of lines, and a full buffer is written at once.
 * The logger flushes after every line; that flush is the one this buffer ignores.
 */
final class BufferedStandardError {

    static final Duration INTERVAL = Duration.ofMillis(200);
    private static final int BUFFER_BYTES = 64 * 1024;

    private final HeldBack buffer;
    private final PrintStream stream;

    private BufferedStandardError(HeldBack buffer, Charset charset) {
        this.buffer = buffer;
        this.stream = new PrintStream(buffer, false, charset);
    }

    /**
     * Replaces {@link System#err}, which the logger looks up for every line. What is buffered is
     * also written out when the process exits; the server's own stop flushes after its last line.
     */
    static BufferedStandardError install() {
        BufferedStandardError err = over(new FileOutputStream(FileDescriptor.err), System.err.charset());
        System.setErr(err.stream);
        Runtime.getRuntime().addShutdownHook(new Thread(err::flush, "log-flush-at-exit"));
        return err;
    }

    /** Buffered in front of {@code target}, written out every {@link #INTERVAL}. */
    static BufferedStandardError over(OutputStream target, Charset charset) {
        BufferedStandardError err = new BufferedStandardError(new HeldBack(target), charset);
        Thread.ofPlatform().daemon().name("log-flush").start(err::flushEveryInterval);
        return err;
    }

    PrintStream stream() {
        return stream;
    }

    void flush() {
        try {
            buffer.writeOut();
        } catch (IOException e) {
            // Standard error is gone: there is nowhere to say so.
        }
    }

    private void flushEveryInterval() {
        try {
            while (true) {
                Thread.sleep(INTERVAL);
                flush();
            }
        } catch (InterruptedException e) {
            flush();
        }
    }

    /** A buffer that writes out only when told to, or when full. */
    private static final class HeldBack extends BufferedOutputStream {

        HeldBack(OutputStream target) {
            super(target, BUFFER_BYTES);
        }

        @Override
        public void flush() {
        }

        void writeOut() throws IOException {
            super.flush();
        }
    }
}
