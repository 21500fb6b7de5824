package io.milvus.upgrade.certs;

import java.time.Duration;
import java.util.List;

/**
 * How long certificates live and how a CA rotation overlaps.
 *
 * @param names            the serving certificate's SANs
 * @param caValidity       the CA's life; a new CA is introduced at two thirds of it
 * @param servingValidity  the serving certificate's life; renewed at two thirds of it
 * @param overlap          how long a new CA is trusted before it signs, and the old one is trusted after:
 *                         long enough for every apiserver to have seen the caBundle change
 */
public record RotationPolicy(List<String> names, Duration caValidity, Duration servingValidity, Duration overlap) {

    public RotationPolicy {
        names = List.copyOf(names);
        if (names.isEmpty()) throw new IllegalArgumentException("the serving certificate needs at least one name");
        if (overlap.compareTo(caValidity.dividedBy(3)) >= 0) {
            throw new IllegalArgumentException("the CA overlap must be shorter than a third of the CA's life");
        }
    }

    /** {@code svc}, {@code svc.ns}, {@code svc.ns.svc}, {@code svc.ns.svc.cluster.local}, then extras and loopback. */
    public static List<String> serviceNames(String service, String namespace, List<String> extra) {
        java.util.LinkedHashSet<String> names = new java.util.LinkedHashSet<>(List.of(service, service + "." + namespace,
                service + "." + namespace + ".svc", service + "." + namespace + ".svc.cluster.local"));
        names.addAll(extra);
        names.addAll(TlsDirectory.LOOPBACK_NAMES);
        return List.copyOf(names);
    }
}
