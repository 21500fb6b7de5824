package io.milvus.upgrade.localstack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** A program that is not ours (Milvus Operator, the S3 store): its output in a log file, stopped when this JVM exits. */
final class ExternalProcess {

    private ExternalProcess() {
    }

    static Process start(Path log, Path workingDir, List<String> command, Map<String, String> environment) {
        try {
            ProcessBuilder builder = new ProcessBuilder(command).directory(workingDir.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
            builder.environment().putAll(environment);
            Process process = builder.start();
            Runtime.getRuntime().addShutdownHook(new Thread(process::destroy));
            return process;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
