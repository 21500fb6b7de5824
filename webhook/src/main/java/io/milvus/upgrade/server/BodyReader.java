package io.milvus.upgrade.server;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.eclipse.jetty.io.Content;

/**
 * Reads a request body from Jetty's content source with a deadline, charging the review's memory
 * reservation for each piece as it arrives. Read through the servlet stream instead, a client that
 * stopped sending, or reset its HTTP/2 stream, left the reading thread blocked for good (measured:
 * 3-7 threads still in the read 20 minutes on). Here a reset or a broken connection ends the read
 * at once, and a client too slow for the deadline has its request failed, which releases all it held.
 */
final class BodyReader {

    /** Why no body was read; each becomes an HTTP status. */
    sealed interface Outcome {
    }

    record Body(byte[] bytes) implements Outcome {
    }

    /**
     * Over the size cap: 413. The rest is read and dropped (up to a bound) first, so that a
     * client still sending sees the answer rather than a broken connection.
     *
     * @param drained whether the whole body was read, so that the connection can serve on
     */
    record TooLarge(boolean drained) implements Outcome {
    }

    /** Not all of it arrived before the deadline: 408. */
    record TooSlow() implements Outcome {
    }

    /** The memory for reviews did not free up in time: 503. */
    record NoMemory() implements Outcome {
    }

    private final int maxBytes;

    BodyReader(int maxBytes) {
        this.maxBytes = maxBytes;
    }

    int maxBytes() {
        return maxBytes;
    }

    /**
     * @throws IOException when the client reset the stream or dropped the connection (nobody is
     *                     left to answer)
     */
    Outcome read(Content.Source source, MemoryBudget.Reservation memory, long deadlineNanos) throws IOException, InterruptedException {
        List<byte[]> pieces = new ArrayList<>();
        long total = 0;
        while (true) {
            Content.Chunk chunk = source.read();
            if (chunk == null) {
                if (!awaitContent(source, deadlineNanos)) {
                    source.fail(new TimeoutException("request body not received in time"));
                    return new TooSlow();
                }
                continue;
            }
            try {
                if (Content.Chunk.isFailure(chunk)) {
                    throw new IOException("request body failed: " + chunk.getFailure(), chunk.getFailure());
                }
                int length = chunk.remaining();
                if (total + length > maxBytes) {
                    pieces.clear();
                    return new TooLarge(chunk.isLast() || drain(source, deadlineNanos));
                }
                if (length > 0) {
                    // The pieces and the array they are joined into: twice the body at the end.
                    if (!memory.growTo(2 * (total + length), deadlineNanos)) {
                        source.fail(new TimeoutException("no memory for the request body"));
                        return new NoMemory();
                    }
                    byte[] piece = new byte[length];
                    chunk.getByteBuffer().get(piece);
                    pieces.add(piece);
                    total += length;
                }
                if (chunk.isLast()) {
                    return new Body(join(pieces, (int) total));
                }
            } finally {
                chunk.release();
            }
        }
    }

    private static final long DRAIN_LIMIT_BYTES = 64L * 1024 * 1024;

    private static boolean drain(Content.Source source, long deadlineNanos) throws IOException, InterruptedException {
        long dropped = 0;
        while (dropped < DRAIN_LIMIT_BYTES) {
            Content.Chunk chunk = source.read();
            if (chunk == null) {
                if (!awaitContent(source, deadlineNanos)) return false;
                continue;
            }
            try {
                if (Content.Chunk.isFailure(chunk)) return false;
                dropped += chunk.remaining();
                if (chunk.isLast()) return true;
            } finally {
                chunk.release();
            }
        }
        return false;
    }

    /** Waits for the source to have content or a failure; false at the deadline. */
    private static boolean awaitContent(Content.Source source, long deadlineNanos) throws IOException, InterruptedException {
        CompletableFuture<Void> ready = new CompletableFuture<>();
        source.demand(() -> ready.complete(null));
        try {
            ready.get(Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (ExecutionException e) {
            throw new IOException(e.getCause());
        }
    }

    private static byte[] join(List<byte[]> pieces, int total) {
        if (pieces.size() == 1) return pieces.get(0);
        byte[] body = new byte[total];
        int at = 0;
        for (byte[] piece : pieces) {
            System.arraycopy(piece, 0, body, at, piece.length);
            at += piece.length;
        }
        pieces.clear();
        return body;
    }
}
