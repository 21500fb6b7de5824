package io.milvus.upgrade.localstack;

import java.io.IOException;
import java.io.UncheckedIOException;

/** Free loopback ports for the processes tests start. */
public final class Ports {

    private Ports() {
    }

    public static int free() {
        try {
            return ControlPlane.freePort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
