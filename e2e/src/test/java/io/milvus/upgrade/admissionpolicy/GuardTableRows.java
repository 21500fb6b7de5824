package io.milvus.upgrade.admissionpolicy;

import static io.milvus.upgrade.testing.Objects.milvus;
import static io.milvus.upgrade.testing.Objects.milvusWithImage;

import io.milvus.upgrade.api.serialization.ApiSerialization;
import io.milvus.upgrade.api.v1beta1.Milvus;
import io.milvus.upgrade.testing.RuleFixtures;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Method;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The rows of the guard's table, read from the webhook's own tests rather than copied: every
 * {@code @CsvSource} row of the Milvus guard's test classes ({@code milvus.rules.*RuleTest},
 * {@code GuardConstraintsTest}, {@code MilvusImageGuardTest}) whose method takes an update in one
 * of the two shapes they use: {@code (name, before, after, ...)} with specs as one-line YAML flow
 * mappings, or {@code (from, to, ...)} with the global image before and after; and the rows of
 * {@code cli.MilvusThreeFactsReviewTest} (the Milvus 3.0 facts, each with its policy file),
 * whose Milvus objects its own {@code milvus(spec)} writes. A row added there is a row here.
 * Other shapes (an upgrade's state) are not updates of this kind and are not read.
 */
public final class GuardTableRows {

    /** One update: the Milvus before and after, the policy file's text it is judged under (null: built-in), and where the row comes from. */
    public record Row(String source, String name, Milvus before, Milvus after, String policy) {

        @Override
        public String toString() {
            return source + ": " + name;
        }
    }

    private static final String FACTS = "io.milvus.upgrade.cli.MilvusThreeFactsReviewTest";
    private static final List<String> SPEC_ROWS = List.of("denies", "allowed");
    private static final List<String> IMAGE_ROWS = List.of("deniedImageChanges", "allowedImageChanges", "aTagThatIsNoVersionIsAllowedWithAWarning");

    private GuardTableRows() {
    }

    public static List<Row> all() {
        List<Row> rows = new ArrayList<>();
        for (Class<?> type : guardTestClasses()) {
            Stream.of(type.getDeclaredMethods()).sorted(Comparator.comparing(Method::getName)).forEach(method -> {
                CsvSource csv = method.getAnnotation(CsvSource.class);
                if (csv == null) return;
                boolean specs = SPEC_ROWS.contains(method.getName());
                boolean facts = type.getName().equals(FACTS) && method.getName().equals("eachFact");
                if (!specs && !facts && !IMAGE_ROWS.contains(method.getName())) return;
                for (String line : csv.value()) {
                    List<String> cells = cells(line, csv.delimiter() == '\0' ? ',' : csv.delimiter());
                    String source = type.getSimpleName() + "." + method.getName();
                    if (facts) {
                        rows.add(new Row(source, cells.get(0), factsMilvus(type, cells.get(1)), factsMilvus(type, cells.get(2)),
                                cells.get(3).isEmpty() ? null : cells.get(3)));
                    } else if (specs) {
                        rows.add(new Row(source, cells.get(0), milvus("my-release", roots(cells.get(1))), milvus("my-release", roots(cells.get(2))), null));
                    } else {
                        rows.add(new Row(source, cells.get(0) + " → " + cells.get(1), milvusWithImage(cells.get(0)), milvusWithImage(cells.get(1)), null));
                    }
                }
            });
        }
        return rows;
    }

    /** The Milvus the facts test writes for a spec, by its own method, so that its shorthands stay its own. */
    private static Milvus factsMilvus(Class<?> facts, String spec) {
        try {
            Method milvus = facts.getDeclaredMethod("milvus", String.class);
            milvus.setAccessible(true);
            return ApiSerialization.kubernetes().unmarshal((String) milvus.invoke(null, spec), Milvus.class);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    /** GuardConstraintsTest's shorthand for the four coordinators. */
    private static String roots(String spec) {
        return spec.replace("ROOTS", RuleFixtures.SEPARATE_COORDINATORS);
    }

    /** The cells of a {@code @CsvSource} line: split at the delimiter outside single quotes, trimmed, quotes removed. */
    static List<String> cells(String line, char delimiter) {
        List<String> cells = new ArrayList<>();
        StringBuilder cell = new StringBuilder();
        boolean quoted = false;
        for (char ch : line.toCharArray()) {
            if (ch == '\'') {
                quoted = !quoted;
            } else if (ch == delimiter && !quoted) {
                cells.add(cell.toString().strip());
                cell.setLength(0);
            } else {
                cell.append(ch);
            }
        }
        cells.add(cell.toString().strip());
        return cells;
    }

    /** The guard's test classes in the webhook's test jar (or test classes directory). */
    private static List<Class<?>> guardTestClasses() {
        List<Class<?>> classes = new ArrayList<>();
        try {
            Path base = Path.of(RuleFixtures.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            if (Files.isDirectory(base)) {
                try (Stream<Path> files = Files.walk(base.resolve("io/milvus/upgrade/milvus"))) {
                    files.map(base::relativize).map(Path::toString).forEach(name -> add(classes, name));
                }
            } else {
                try (java.util.jar.JarFile jar = new java.util.jar.JarFile(base.toFile())) {
                    jar.stream().map(java.util.jar.JarEntry::getName).filter(name -> name.startsWith("io/milvus/upgrade/milvus/"))
                            .forEach(name -> add(classes, name));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
        classes.sort(Comparator.comparing(Class::getName));
        try {
            classes.add(Class.forName(FACTS));
        } catch (ClassNotFoundException e) {
            // Not in this build of the webhook's tests.
        }
        return classes;
    }

    private static void add(List<Class<?>> classes, String file) {
        if (!file.endsWith("Test.class") && !file.matches(".*Test\\$[A-Za-z]+\\.class")) return;
        try {
            classes.add(Class.forName(file.replace('/', '.').replace(".class", "")));
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException(e);
        }
    }
}
