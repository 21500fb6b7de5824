package io.milvus.upgrade.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Gives tests a {@link ControlPlane}: one per test run, started on first use and stopped when
 * the run ends (also when tests fail), since starting one takes seconds.
 * Use with {@code @ExtendWith(ControlPlaneExtension.class)} and a {@code ControlPlane} parameter.
 */
public final class ControlPlaneExtension implements ParameterResolver {

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(ControlPlaneExtension.class);

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == ControlPlane.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return shared(context);
    }

    public static ControlPlane shared(ExtensionContext context) {
        return context.getRoot().getStore(NAMESPACE)
                .getOrComputeIfAbsent(Running.class, key -> new Running(), Running.class).plane;
    }

    /** Closed by JUnit when the root context closes, i.e. at the end of the run. */
    private static final class Running implements AutoCloseable {
        final ControlPlane plane;

        Running() {
            try {
                plane = ControlPlane.start(Files.createTempDirectory("control-plane-"));
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }

        @Override
        public void close() {
            plane.close();
            deleteQuietly(plane.dir());
        }

        private static void deleteQuietly(Path dir) {
            try (var paths = Files.walk(dir)) {
                paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (java.io.IOException | java.io.UncheckedIOException ignored) {
                // a temp dir left behind is harmless
            }
        }
    }
}
