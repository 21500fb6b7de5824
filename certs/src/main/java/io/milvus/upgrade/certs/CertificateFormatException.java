package io.milvus.upgrade.certs;

/** Certificate or key material that cannot be read. */
public class CertificateFormatException extends Exception {

    public CertificateFormatException(String message) {
        super(message);
    }
}
