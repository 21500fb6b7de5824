package io.milvus.upgrade.cli;

import io.milvus.upgrade.api.serialization.ApiSerialization;
import io.milvus.upgrade.server.TlsContext;
import java.io.IOException;
import java.security.GeneralSecurityException;

/**
 * Start-up work that needs no command-line argument, begun on a second thread as the process
 * starts: parsing the arguments (picocli, ~250 ms: its Java 5 classes cannot go into the AOT
 * cache) would otherwise run before it in series. Whichever thread first needs a class that the
 * other is still initialising waits for it, so nothing is done twice and nothing half-done is seen.
 */
final class EarlyStart {

    private EarlyStart() {
    }

    static void begin() {
        Thread.ofPlatform().daemon().name("early-start").start(EarlyStart::run);
    }

    private static void run() {
        ApiSerialization.json(); // fabric8's serialization with every model type registered
        try {
            TlsContext.preload();
        } catch (GeneralSecurityException | IOException e) {
            // Only a head start: the real use reports whatever is wrong.
        }
    }
}
