package io.milvus.upgrade.certs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Date;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CertificateAuthorityTest {

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-24T00:00:00Z"), ZoneOffset.UTC);
    private final CertificateAuthority ca = CertificateAuthority.generate("test-ca", Duration.ofDays(3650), CLOCK);

    @Test
    void theServingCertificateChainsToTheCa() throws Exception {
        ServingCertificate serving = ca.issue(List.of("svc.ns.svc", "127.0.0.1"), Duration.ofDays(90), CLOCK);
        var path = CertificateFactory.getInstance("X.509").generateCertPath(List.of(serving.certificate()));
        PKIXParameters parameters = new PKIXParameters(Set.of(new TrustAnchor(ca.certificate(), null)));
        parameters.setRevocationEnabled(false);
        parameters.setDate(Date.from(CLOCK.instant().plus(Duration.ofDays(1))));
        CertPathValidator.getInstance("PKIX").validate(path, parameters); // throws when the chain is broken

        CertificateAuthority other = CertificateAuthority.generate("other", Duration.ofDays(10), CLOCK);
        PKIXParameters wrongAnchor = new PKIXParameters(Set.of(new TrustAnchor(other.certificate(), null)));
        wrongAnchor.setRevocationEnabled(false);
        assertThatThrownBy(() -> CertPathValidator.getInstance("PKIX").validate(path, wrongAnchor))
                .isInstanceOf(java.security.cert.CertPathValidatorException.class);
    }

    @Test
    void namesAndUsagesAreRight() throws Exception {
        X509Certificate cert = ca.issue(List.of("milvus-upgrade-webhook.milvus-upgrade-system.svc", "localhost", "127.0.0.1", "::1"),
                Duration.ofDays(90), CLOCK).certificate();
        assertThat(cert.getSubjectAlternativeNames()).extracting(san -> san.get(0) + "=" + san.get(1)).containsExactly(
                "2=milvus-upgrade-webhook.milvus-upgrade-system.svc", "2=localhost", "7=127.0.0.1", "7=0:0:0:0:0:0:0:1");
        assertThat(cert.getKeyUsage()[0]).as("digitalSignature").isTrue();
        assertThat(cert.getKeyUsage()[2]).as("keyEncipherment").isTrue();
        assertThat(cert.getKeyUsage()[5]).as("keyCertSign").isFalse();
        assertThat(cert.getExtendedKeyUsage()).containsExactly("1.3.6.1.5.5.7.3.1");
        assertThat(cert.getBasicConstraints()).isEqualTo(-1);
        assertThat(cert.getPublicKey().getAlgorithm()).isEqualTo("EC");

        X509Certificate caCert = ca.certificate();
        assertThat(caCert.getBasicConstraints()).isGreaterThanOrEqualTo(0);
        assertThat(caCert.getKeyUsage()[5]).as("keyCertSign").isTrue();
    }

    @Test
    void expiryAndRenewalTime() {
        ServingCertificate serving = ca.issue(List.of("a"), Duration.ofDays(90), CLOCK);
        assertThat(serving.notAfter()).isEqualTo(CLOCK.instant().plus(Duration.ofDays(90)));
        assertThat(serving.notBefore()).isEqualTo(CLOCK.instant().minus(Duration.ofMinutes(5)));
        assertThat(serving.renewAt()).as("two thirds of the life as issued, backdating aside").isEqualTo(CLOCK.instant().plus(Duration.ofDays(60)));
        ServingCertificate brief = ca.issue(List.of("a"), Duration.ofSeconds(12), CLOCK);
        assertThat(brief.renewAt()).isEqualTo(CLOCK.instant().plusSeconds(8));

        CertificateAuthority shortCa = CertificateAuthority.generate("short", Duration.ofDays(30), CLOCK);
        assertThat(shortCa.issue(List.of("a"), Duration.ofDays(90), CLOCK).notAfter()).as("capped by the CA")
                .isEqualTo(shortCa.certificate().getNotAfter().toInstant());
    }

    @Test
    void pemRoundTrip() throws Exception {
        ServingCertificate serving = ca.issue(List.of("a"), Duration.ofDays(1), CLOCK);
        String certs = Pem.certificates(List.of(serving.certificate(), ca.certificate()));
        assertThat(Pem.readCertificates(certs)).containsExactly(serving.certificate(), ca.certificate());
        String key = Pem.privateKey(serving.key());
        assertThat(key).startsWith("-----BEGIN PRIVATE KEY-----");
        assertThat(Pem.readPrivateKey(key).getEncoded()).isEqualTo(serving.key().getEncoded());
        assertThatThrownBy(() -> Pem.readCertificates("nonsense")).isInstanceOf(CertificateFormatException.class);
        assertThatThrownBy(() -> Pem.readPrivateKey(certs)).isInstanceOf(CertificateFormatException.class);
    }

    @Test
    void aTlsDirectoryIsFilledOnceAndThenReused(@TempDir Path dir) throws Exception {
        TlsDirectory tls = new TlsDirectory(dir.resolve("tls"));
        assertThat(tls.ensure(List.of("svc.ns.svc"), CLOCK)).isTrue();
        String first = Files.readString(tls.certificate());
        assertThat(Files.getPosixFilePermissions(tls.key())).extracting(Object::toString).containsExactlyInAnyOrder("OWNER_READ", "OWNER_WRITE");
        assertThat(Files.getPosixFilePermissions(tls.caCertificate())).extracting(Object::toString).contains("OTHERS_READ");
        X509Certificate cert = Pem.readCertificates(first).get(0);
        assertThat(cert.getSubjectAlternativeNames()).extracting(san -> (Object) san.get(1)).contains((Object) "svc.ns.svc", "localhost", "127.0.0.1");
        X509Certificate caCert = Pem.readCertificates(Files.readString(tls.caCertificate())).get(0);
        cert.verify(caCert.getPublicKey());

        assertThat(tls.ensure(List.of("other"), CLOCK)).isFalse();
        assertThat(Files.readString(tls.certificate())).isEqualTo(first);
    }
}
