package io.milvus.upgrade.certs;

import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Instant;

/** A server's certificate and key, signed by a {@link CertificateAuthority}. */
public record ServingCertificate(X509Certificate certificate, PrivateKey key) {

    public Instant notBefore() {
        return certificate.getNotBefore().toInstant();
    }

    public Instant notAfter() {
        return certificate.getNotAfter().toInstant();
    }

    /** When to renew: two thirds into the certificate's life, so a failed renewal has time to be retried. */
    public Instant renewAt() {
        return CertificateAuthority.renewAt(certificate);
    }
}
