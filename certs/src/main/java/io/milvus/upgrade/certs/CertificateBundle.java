package io.milvus.upgrade.certs;

import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Everything the webhook's TLS needs, as kept in its Secret: the CAs clients trust (during a CA
 * rotation, the old and the new), the CA that signs, a CA waiting to take over, and the serving
 * certificate.
 *
 * @param trusted  {@code ca.crt}: every CA in the caBundle, oldest first
 * @param signing  {@code ca.key} with its certificate: the CA of the current serving certificate
 * @param next     {@code next-ca.key}/{@code next-ca.crt}: a new CA already trusted, not yet signing; or null
 * @param serving  {@code tls.crt}/{@code tls.key}
 */
public record CertificateBundle(List<X509Certificate> trusted, CertificateAuthority signing, CertificateAuthority next,
                                ServingCertificate serving) {

    public static final String CA_CRT = "ca.crt";
    public static final String CA_KEY = "ca.key";
    public static final String NEXT_CA_CRT = "next-ca.crt";
    public static final String NEXT_CA_KEY = "next-ca.key";
    public static final String TLS_CRT = "tls.crt";
    public static final String TLS_KEY = "tls.key";

    public CertificateBundle {
        trusted = List.copyOf(trusted);
    }

    /** The PEM caBundle for webhook configurations and the CRD. */
    public String caBundlePem() {
        return Pem.certificates(trusted);
    }

    /** As Secret data (strings, before base64). */
    public Map<String, String> toData() {
        Map<String, String> data = new LinkedHashMap<>();
        data.put(CA_CRT, caBundlePem());
        data.put(CA_KEY, Pem.privateKey(signing.key()));
        data.put("signing-ca.crt", Pem.certificate(signing.certificate()));
        if (next != null) {
            data.put(NEXT_CA_CRT, Pem.certificate(next.certificate()));
            data.put(NEXT_CA_KEY, Pem.privateKey(next.key()));
        }
        data.put(TLS_CRT, Pem.certificate(serving.certificate()));
        data.put(TLS_KEY, Pem.privateKey(serving.key()));
        return data;
    }

    public static CertificateBundle fromData(Map<String, String> data) throws CertificateFormatException {
        for (String key : List.of(CA_CRT, CA_KEY, "signing-ca.crt", TLS_CRT, TLS_KEY)) {
            if (data.get(key) == null || data.get(key).isBlank()) {
                throw new CertificateFormatException("missing " + key);
            }
        }
        CertificateAuthority signing = new CertificateAuthority(Pem.readCertificates(data.get("signing-ca.crt")).get(0),
                Pem.readPrivateKey(data.get(CA_KEY)));
        CertificateAuthority next = data.get(NEXT_CA_CRT) == null ? null
                : new CertificateAuthority(Pem.readCertificates(data.get(NEXT_CA_CRT)).get(0), Pem.readPrivateKey(data.get(NEXT_CA_KEY)));
        ServingCertificate serving = new ServingCertificate(Pem.readCertificates(data.get(TLS_CRT)).get(0), Pem.readPrivateKey(data.get(TLS_KEY)));
        return new CertificateBundle(new ArrayList<>(Pem.readCertificates(data.get(CA_CRT))), signing, next, serving);
    }
}
