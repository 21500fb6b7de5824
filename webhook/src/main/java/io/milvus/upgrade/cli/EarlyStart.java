package io.milvus.upgrade.cli;

import io.milvus.upgrade.api.ApiSerialization;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import javax.net.ssl.SSLContext;

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
        // fabric8's serialization with every model type registered (~100 ms).
        ApiSerialization.json();
        try {
            // The JCA providers and JSSE tables that reading the key pair and the TLS context use.
            CertificateFactory.getInstance("X.509");
            KeyFactory.getInstance("EC");
            KeyStore.getInstance("PKCS12").load(null, null);
            SSLContext.getInstance("TLS").init(null, null, null);
        } catch (GeneralSecurityException | java.io.IOException e) {
            // Only a head start: the real use reports whatever is wrong.
        }
    }
}
