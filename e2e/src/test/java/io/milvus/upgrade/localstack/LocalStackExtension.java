package io.milvus.upgrade.localstack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Gives end-to-end tests a {@link LocalStack} (and its {@link ControlPlane}): one per test run,
 * started on first use, stopped when the run ends, also when tests fail.
 */
public final class LocalStackExtension implements ParameterResolver {

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(LocalStackExtension.class);

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        Class<?> type = parameter.getParameter().getType();
        return type == LocalStack.class || type == ControlPlane.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        LocalStack stack = context.getRoot().getStore(NAMESPACE).getOrComputeIfAbsent(Running.class, key -> new Running(), Running.class).stack;
        return parameter.getParameter().getType() == ControlPlane.class ? stack.controlPlane() : stack;
    }

    private static final class Running implements AutoCloseable {
        final ControlPlane plane;
        final LocalStack stack;
        final java.nio.file.Path dir;

        Running() {
            try {
                dir = Files.createTempDirectory("local-stack-");
                plane = ControlPlane.start(dir.resolve("control-plane"));
                try {
                    stack = LocalStack.start(plane, dir.resolve("stack"));
                } catch (RuntimeException | Error e) {
                    plane.close();
                    throw e;
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public void close() {
            stack.close();
            plane.close();
            try (var paths = Files.walk(dir)) {
                paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException | UncheckedIOException ignored) {
                // a temp dir left behind is harmless
            }
        }
    }
}
