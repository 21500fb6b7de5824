package io.milvus.upgrade.certs;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class CertificateRotationTest {

    private static final Instant START = Instant.parse("2026-01-01T00:00:00Z");
    private static final RotationPolicy POLICY = new RotationPolicy(RotationPolicy.serviceNames("svc", "ns", List.of()),
            Duration.ofDays(300), Duration.ofDays(30), Duration.ofDays(2));

    private static Clock at(Duration sinceStart) {
        return Clock.fixed(START.plus(sinceStart), ZoneOffset.UTC);
    }

    @Test
    void serviceNamesCoverEveryWayToReachTheService() {
        assertThat(RotationPolicy.serviceNames("svc", "ns", List.of("extra.example.com"))).containsExactly(
                "svc", "svc.ns", "svc.ns.svc", "svc.ns.svc.cluster.local", "extra.example.com", "localhost", "127.0.0.1", "::1");
    }

    @Test
    void aFreshBundleNeedsNothingAndRoundTripsThroughSecretData() throws Exception {
        CertificateBundle bundle = CertificateRotation.initial(POLICY, at(Duration.ZERO));
        assertThat(CertificateRotation.next(bundle, POLICY, at(Duration.ofDays(1)))).isEmpty();
        CertificateBundle read = CertificateBundle.fromData(bundle.toData());
        assertThat(read.trusted()).isEqualTo(bundle.trusted());
        assertThat(read.serving().certificate()).isEqualTo(bundle.serving().certificate());
        assertThat(read.signing().certificate()).isEqualTo(bundle.signing().certificate());
        assertThat(read.next()).isNull();
    }

    @Test
    void theServingCertificateIsRenewedAtTwoThirdsOfItsLife() {
        CertificateBundle bundle = CertificateRotation.initial(POLICY, at(Duration.ZERO));
        assertThat(CertificateRotation.next(bundle, POLICY, at(Duration.ofDays(19)))).isEmpty();
        CertificateBundle renewed = CertificateRotation.next(bundle, POLICY, at(Duration.ofDays(21))).orElseThrow();
        assertThat(renewed.serving().certificate()).isNotEqualTo(bundle.serving().certificate());
        assertThat(renewed.trusted()).isEqualTo(bundle.trusted());
        assertThat(renewed.signing()).isEqualTo(bundle.signing());
    }

    @Test
    void newNamesGetANewServingCertificate() {
        CertificateBundle bundle = CertificateRotation.initial(POLICY, at(Duration.ZERO));
        RotationPolicy more = new RotationPolicy(RotationPolicy.serviceNames("svc", "ns", List.of("new.example.com")),
                POLICY.caValidity(), POLICY.servingValidity(), POLICY.overlap());
        assertThat(CertificateRotation.next(bundle, more, at(Duration.ofDays(1)))).isPresent();
    }

    /** Walks a whole CA life day by day: at every moment, the serving certificate chains to a trusted CA. */
    @Test
    void aCaRotationNeverLeavesTheServingCertificateUntrusted() throws Exception {
        CertificateBundle bundle = CertificateRotation.initial(POLICY, at(Duration.ZERO));
        X509Certificate firstCa = bundle.signing().certificate();
        int steps = 0;
        boolean sawOverlap = false;
        Instant introduced = null;
        Instant promoted = null;
        for (int hour = 0; hour <= 24 * 400; hour += 6) {
            Clock clock = at(Duration.ofHours(hour));
            Optional<CertificateBundle> next = CertificateRotation.next(bundle, POLICY, clock);
            if (next.isPresent()) {
                steps++;
                CertificateBundle before = bundle;
                bundle = next.get();
                if (before.next() == null && bundle.next() != null && introduced == null) introduced = clock.instant();
                if (before.next() != null && bundle.next() == null && promoted == null) promoted = clock.instant();
            }
            sawOverlap |= bundle.trusted().size() == 2;
            assertThat(chainsToTrusted(bundle)).as("hour " + hour).isTrue();
            assertThat(bundle.serving().notAfter()).as("hour " + hour).isAfter(clock.instant());
        }
        assertThat(sawOverlap).isTrue();
        assertThat(introduced).isNotNull();
        assertThat(Duration.between(introduced, promoted)).isGreaterThanOrEqualTo(POLICY.overlap());
        assertThat(bundle.signing().certificate()).isNotEqualTo(firstCa);
        assertThat(bundle.trusted()).doesNotContain(firstCa);
        assertThat(steps).isGreaterThan(10);
    }

    /** The e2e test's lifetimes: seconds, where the CA's backdating would dwarf the life if it counted. */
    @Test
    void shortLifetimesRotateOnScheduleNotEveryRound() {
        RotationPolicy fast = new RotationPolicy(RotationPolicy.serviceNames("svc", "ns", List.of()),
                Duration.ofSeconds(45), Duration.ofSeconds(12), Duration.ofSeconds(4));
        CertificateBundle bundle = CertificateRotation.initial(fast, at(Duration.ZERO));
        int steps = 0;
        for (int second = 1; second <= 60; second++) {
            Optional<CertificateBundle> next = CertificateRotation.next(bundle, fast, at(Duration.ofSeconds(second)));
            if (next.isPresent()) {
                steps++;
                bundle = next.get();
            }
            assertThat(chainsToTrusted(bundle)).as("second " + second).isTrue();
        }
        assertThat(steps).as("renewals at 8 s intervals plus a CA rotation, not one per round").isBetween(6, 12);
    }

    @Test
    void aNewCaIsTrustedForAWholeOverlapBeforeItSignsAndTheOldOneForAnotherAfter() {
        CertificateBundle bundle = settle(CertificateRotation.initial(POLICY, at(Duration.ZERO)), at(Duration.ofDays(195)));
        CertificateBundle introduced = CertificateRotation.next(bundle, POLICY, at(Duration.ofDays(201))).orElseThrow();
        assertThat(introduced.trusted()).hasSize(2);
        assertThat(introduced.next()).isNotNull();
        assertThat(introduced.serving()).as("still signed by the old CA").isEqualTo(bundle.serving());
        introduced = settle(introduced, at(Duration.ofDays(201)));
        assertThat(CertificateRotation.next(introduced, POLICY, at(Duration.ofDays(202)))).as("within the overlap").isEmpty();
        CertificateBundle promoted = CertificateRotation.next(introduced, POLICY, at(Duration.ofDays(203).plusHours(1))).orElseThrow();
        assertThat(promoted.signing()).isEqualTo(introduced.next());
        assertThat(promoted.trusted()).hasSize(2);
        assertThat(CertificateRotation.next(promoted, POLICY, at(Duration.ofDays(204)))).as("old CA kept for another overlap").isEmpty();
        CertificateBundle pruned = CertificateRotation.next(promoted, POLICY, at(Duration.ofDays(205).plusHours(1))).orElseThrow();
        assertThat(pruned.trusted()).containsExactly(promoted.signing().certificate());
    }

    /** Every step due at {@code clock}, as the manager's rounds would take them. */
    private static CertificateBundle settle(CertificateBundle bundle, Clock clock) {
        for (int i = 0; i < 5; i++) {
            Optional<CertificateBundle> next = CertificateRotation.next(bundle, POLICY, clock);
            if (next.isEmpty()) return bundle;
            bundle = next.get();
        }
        throw new AssertionError("no fixed point after 5 steps");
    }

    private static boolean chainsToTrusted(CertificateBundle bundle) {
        for (X509Certificate ca : bundle.trusted()) {
            try {
                bundle.serving().certificate().verify(ca.getPublicKey());
                return true;
            } catch (Exception e) {
                // try the next CA
            }
        }
        return false;
    }
}
