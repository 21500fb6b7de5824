package io.milvus.upgrade.certs;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * A directory with {@code tls.crt}, {@code tls.key} and {@code ca.crt}, the layout of a
 * {@code kubernetes.io/tls} Secret mount and of cert-manager. When the key pair is missing, a CA
 * and a serving certificate are generated and written there, so that callers can trust
 * {@code ca.crt}.
 */
public final class TlsDirectory {

    public static final String CA_CRT = "ca.crt";
    public static final String TLS_CRT = "tls.crt";
    public static final String TLS_KEY = "tls.key";
    /** Always in the serving certificate: callers on the same machine (tests, make run, probes). */
    public static final List<String> LOOPBACK_NAMES = List.of("localhost", "127.0.0.1", "::1");

    private final Path dir;

    public TlsDirectory(Path dir) {
        this.dir = dir;
    }

    public Path dir() {
        return dir;
    }

    public Path caCertificate() {
        return dir.resolve(CA_CRT);
    }

    public Path certificate() {
        return dir.resolve(TLS_CRT);
    }

    public Path key() {
        return dir.resolve(TLS_KEY);
    }

    public boolean hasKeyPair() {
        return Files.isRegularFile(certificate()) && Files.isRegularFile(key());
    }

    /**
     * Generates a CA and a serving certificate for the loopback names plus {@code dnsNames}
     * unless the directory already holds a key pair. Returns whether it generated.
     */
    public boolean ensure(List<String> dnsNames, Clock clock) throws IOException {
        if (hasKeyPair()) {
            return false;
        }
        createPrivate();
        CertificateAuthority ca = CertificateAuthority.generate("milvus-upgrade-webhook-ca", CertificateAuthority.DEFAULT_CA_VALIDITY, clock);
        LinkedHashSet<String> names = new LinkedHashSet<>(dnsNames);
        names.addAll(LOOPBACK_NAMES);
        ServingCertificate serving = ca.issue(new ArrayList<>(names), CertificateAuthority.DEFAULT_SERVING_VALIDITY, clock);
        write(caCertificate(), Pem.certificate(ca.certificate()), false);
        write(key(), Pem.privateKey(serving.key()), true);
        write(certificate(), Pem.certificate(serving.certificate()), false);
        return true;
    }

    /**
     * Writes the bundle's caBundle and serving key pair, each file only when it changed: the key
     * first, so that a reader that sees the new certificate also finds its key.
     */
    public boolean write(CertificateBundle bundle) throws IOException {
        createPrivate();
        boolean changed = writeIfChanged(key(), Pem.privateKey(bundle.serving().key()), true);
        changed |= writeIfChanged(certificate(), Pem.certificate(bundle.serving().certificate()), false);
        changed |= writeIfChanged(caCertificate(), bundle.caBundlePem(), false);
        return changed;
    }

    /**
     * Creates the directory readable by its owner only, whatever the umask (under umask 000 it
     * was created 0777, and anyone on the machine could swap in a key pair).
     */
    private void createPrivate() throws IOException {
        if (Files.isDirectory(dir)) return;
        Files.createDirectories(dir);
        try {
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system: nothing to tighten
        }
    }

    /**
     * The directory or key pair file that users other than the owner may write, or null if none:
     * a key pair from such a place may be anyone's.
     */
    public String writableByOthers() throws IOException {
        for (Path path : List.of(dir, certificate(), key())) {
            try {
                Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(path);
                if (permissions.contains(PosixFilePermission.GROUP_WRITE) || permissions.contains(PosixFilePermission.OTHERS_WRITE)) {
                    return path.toString();
                }
            } catch (UnsupportedOperationException e) {
                return null;
            }
        }
        return null;
    }

    private static boolean writeIfChanged(Path target, String content, boolean secret) throws IOException {
        if (Files.isRegularFile(target) && Files.readString(target).equals(content)) {
            return false;
        }
        write(target, content, secret);
        return true;
    }

    /** Written beside the target and moved over it, so that a reader never sees half a file. */
    private static void write(Path target, String content, boolean secret) throws IOException {
        Path temp = Files.createTempFile(target.getParent(), "." + target.getFileName(), ".tmp");
        try {
            // Temp files start private; certificates are public, and callers on the machine trust ca.crt.
            Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString(secret ? "rw-------" : "rw-r--r--"));
            Files.writeString(temp, content);
            try {
                Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(temp);
        }
    }
}
