package io.milvus.upgrade.certs;

import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The next state of the key material, as a pure function of the current one and the time, so
 * that every replica computes the same step and any step can be retried. A CA rotation goes
 * through three steps, each a Secret update, none of which breaks a client that trusts the
 * caBundle it saw last:
 * <ol>
 *   <li>at two thirds of the CA's life, a new CA joins the caBundle ({@code next}), not signing yet;</li>
 *   <li>after the overlap, the new CA signs a new serving certificate and becomes {@code signing};</li>
 *   <li>after another overlap, the old CA leaves the caBundle.</li>
 * </ol>
 */
public final class CertificateRotation {

    private CertificateRotation() {
    }

    public static CertificateBundle initial(RotationPolicy policy, Clock clock) {
        CertificateAuthority ca = CertificateAuthority.generate("milvus-upgrade-webhook-ca", policy.caValidity(), clock);
        return new CertificateBundle(List.of(ca.certificate()), ca, null, ca.issue(policy.names(), policy.servingValidity(), clock));
    }

    /** The bundle after the one step due now, if any. */
    public static Optional<CertificateBundle> next(CertificateBundle current, RotationPolicy policy, Clock clock) {
        Instant now = clock.instant();
        CertificateAuthority signing = current.signing();
        if (current.next() == null && now.isAfter(CertificateAuthority.renewAt(signing.certificate()))) {
            CertificateAuthority fresh = CertificateAuthority.generate("milvus-upgrade-webhook-ca", policy.caValidity(), clock);
            List<X509Certificate> trusted = new ArrayList<>(current.trusted());
            trusted.add(fresh.certificate());
            return Optional.of(new CertificateBundle(trusted, signing, fresh, current.serving()));
        }
        if (current.next() != null && now.isAfter(current.next().issuedAt().plus(policy.overlap()))) {
            CertificateAuthority promoted = current.next();
            return Optional.of(new CertificateBundle(current.trusted(), promoted, null, promoted.issue(policy.names(), policy.servingValidity(), clock)));
        }
        List<X509Certificate> stillTrusted = current.trusted().stream()
                .filter(ca -> ca.equals(signing.certificate()) || (current.next() != null && ca.equals(current.next().certificate()))
                        || now.isBefore(signing.issuedAt().plus(policy.overlap()).plus(policy.overlap())))
                .filter(ca -> now.isBefore(ca.getNotAfter().toInstant()))
                .toList();
        if (stillTrusted.size() < current.trusted().size()) {
            return Optional.of(new CertificateBundle(stillTrusted, signing, current.next(), current.serving()));
        }
        if (needsNewServingCertificate(current, policy, now)) {
            return Optional.of(new CertificateBundle(current.trusted(), signing, current.next(),
                    signing.issue(policy.names(), policy.servingValidity(), clock)));
        }
        return Optional.empty();
    }

    private static boolean needsNewServingCertificate(CertificateBundle current, RotationPolicy policy, Instant now) {
        ServingCertificate serving = current.serving();
        if (!now.isBefore(serving.renewAt())) return true;
        if (!serving.certificate().getIssuerX500Principal().equals(current.signing().certificate().getSubjectX500Principal())) return true;
        try {
            serving.certificate().verify(current.signing().publicKey());
        } catch (java.security.GeneralSecurityException e) {
            return true; // signed by a CA that no longer signs
        }
        return !names(serving.certificate()).containsAll(normalised(policy.names()));
    }

    private static Set<String> names(X509Certificate certificate) {
        Set<String> names = new HashSet<>();
        try {
            Collection<List<?>> sans = certificate.getSubjectAlternativeNames();
            if (sans != null) sans.forEach(san -> names.add(String.valueOf(san.get(1))));
        } catch (CertificateParsingException e) {
            return Set.of();
        }
        return normalised(names);
    }

    /** IPv6 literals print in their long form in certificates. */
    private static Set<String> normalised(Collection<String> names) {
        Set<String> out = new HashSet<>();
        for (String name : names) {
            out.add(name.equals("::1") ? "0:0:0:0:0:0:0:1" : name);
        }
        return out;
    }
}
