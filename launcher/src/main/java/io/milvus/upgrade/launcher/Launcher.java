package io.milvus.upgrade.launcher;

import java.io.File;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.URISyntaxException;
import java.net.URL;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.jar.Manifest;

/**
 * The jars' Main-Class, compiled for Java 8 so that any JVM a user is likely to have can load it:
 * on a JVM older than the jar needs it prints one line saying what to install, where the real
 * entry point would fail with {@code UnsupportedClassVersionError} and a stack trace. Otherwise
 * it calls the real main class, named by the manifest's {@value #REAL_MAIN_CLASS} attribute.
 */
public final class Launcher {

    /** Manifest attribute: the entry point that needs {@link #REQUIRED_FEATURE}. */
    public static final String REAL_MAIN_CLASS = "Launcher-Main-Class";
    /** Manifest attribute: the command's name in the one-line message. */
    public static final String COMMAND_NAME = "Launcher-Command";
    /** The jars are compiled for Java 25 (virtual threads, the AOT cache). */
    public static final int REQUIRED_FEATURE = 25;
    /** Exit code when the JVM is too old: the environment's fault, not the input's (2) nor a denial (1). */
    public static final int WRONG_JAVA = 3;

    private Launcher() {
    }

    public static void main(String[] args) throws Throwable {
        Attributes manifest = ownManifest();
        String command = manifest == null ? null : manifest.getValue(COMMAND_NAME);
        String realMain = manifest == null ? null : manifest.getValue(REAL_MAIN_CLASS);
        String specification = System.getProperty("java.specification.version");
        String reason = tooOld(command == null ? "this program" : command, specification, System.getProperty("java.home"));
        if (reason != null) {
            System.err.println(reason);
            System.exit(WRONG_JAVA);
        }
        if (realMain == null) {
            System.err.println("launcher: the jar's manifest names no " + REAL_MAIN_CLASS + "; the jar is broken, rebuild it (make build)");
            System.exit(WRONG_JAVA);
        }
        Method main = Class.forName(realMain).getMethod("main", String[].class);
        try {
            main.invoke(null, (Object) args);
        } catch (InvocationTargetException e) {
            throw e.getCause(); // the real main's own exception, not the reflection wrapper
        }
    }

    /**
     * The one-line reason why {@code specification} (a {@code java.specification.version}:
     * "1.8", "17", "25") cannot run the jar, or null when it can.
     */
    public static String tooOld(String command, String specification, String javaHome) {
        int feature = feature(specification);
        if (feature >= REQUIRED_FEATURE) return null;
        return command + " needs Java " + REQUIRED_FEATURE + " or later, but this is Java " + specification
                + " (" + javaHome + "): install a JDK " + REQUIRED_FEATURE
                + " (e.g. Temurin 25 from https://adoptium.net, under /usr/lib/jvm) and set JAVA_HOME to it,"
                + " or use the launchers in bin/, which find it themselves";
    }

    /** 8 for "1.8", 17 for "17"; 0 when unreadable, which counts as too old. */
    static int feature(String specification) {
        if (specification == null) return 0;
        String s = specification.startsWith("1.") ? specification.substring(2) : specification;
        int end = 0;
        while (end < s.length() && Character.isDigit(s.charAt(end))) end++;
        try {
            return Integer.parseInt(s.substring(0, end));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** The manifest of the jar this class was loaded from; null when it runs from a directory (tests). */
    private static Attributes ownManifest() {
        URL location = Launcher.class.getProtectionDomain().getCodeSource().getLocation();
        try {
            File file = new File(location.toURI());
            if (!file.isFile()) return null;
            try (JarFile jar = new JarFile(file)) {
                Manifest manifest = jar.getManifest();
                return manifest == null ? null : manifest.getMainAttributes();
            }
        } catch (URISyntaxException | IOException | IllegalArgumentException e) {
            return null;
        }
    }
}
