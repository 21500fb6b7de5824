package io.milvus.upgrade.certs;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;

/** PEM in and out, through BouncyCastle; keys are written as PKCS#8. */
public final class Pem {

    private Pem() {
    }

    public static String certificates(List<X509Certificate> certificates) {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
            for (X509Certificate certificate : certificates) {
                writer.writeObject(certificate);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    public static String certificate(X509Certificate certificate) {
        return certificates(List.of(certificate));
    }

    public static String privateKey(PrivateKey key) {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
            writer.writeObject(new JcaPKCS8Generator(key, null));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    /** Every certificate in {@code pem}, in order (a bundle may hold several). */
    public static List<X509Certificate> readCertificates(String pem) throws CertificateFormatException {
        List<X509Certificate> certificates = new ArrayList<>();
        try (PEMParser parser = new PEMParser(new StringReader(pem))) {
            JcaX509CertificateConverter converter = new JcaX509CertificateConverter();
            for (Object object = parser.readObject(); object != null; object = parser.readObject()) {
                if (!(object instanceof X509CertificateHolder holder)) {
                    throw new CertificateFormatException("expected only certificates, found " + object.getClass().getSimpleName());
                }
                certificates.add(converter.getCertificate(holder));
            }
        } catch (IOException | CertificateException e) {
            throw new CertificateFormatException("not a PEM certificate: " + e.getMessage());
        }
        if (certificates.isEmpty()) {
            throw new CertificateFormatException("no certificate in PEM input");
        }
        return certificates;
    }

    /** A PKCS#8 ({@code PRIVATE KEY}) or traditional ({@code EC/RSA PRIVATE KEY}) key. */
    public static PrivateKey readPrivateKey(String pem) throws CertificateFormatException {
        try (PEMParser parser = new PEMParser(new StringReader(pem))) {
            Object object = parser.readObject();
            JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
            if (object instanceof PrivateKeyInfo info) {
                return converter.getPrivateKey(info);
            }
            if (object instanceof PEMKeyPair pair) {
                return converter.getKeyPair(pair).getPrivate();
            }
            throw new CertificateFormatException("expected a private key, found " + (object == null ? "nothing" : object.getClass().getSimpleName()));
        } catch (IOException e) {
            throw new CertificateFormatException("not a PEM private key: " + e.getMessage());
        }
    }
}
