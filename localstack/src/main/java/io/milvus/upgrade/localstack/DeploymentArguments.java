package io.milvus.upgrade.localstack;

import java.nio.file.Path;

/**
 * Runs a jar with exactly the arguments and environment its Deployment in {@code manifests/} ({@code manifest} is relative to it)
 * gives the container: what a pod gets from volumes and its service account is mapped to local
 * paths ({@code podPaths}, by whole argument) and extra arguments ({@code outsideAPod}).
 */
public final class DeploymentArguments {

    private DeploymentArguments() {
    }

    public static Process start(LocalStack stack, String manifest, String jar, Path dir,
                                                        java.util.Map<String, String> podPaths, java.util.List<String> outsideAPod,
                                                        java.util.Map<String, String> environment) throws Exception {
        java.util.List<io.fabric8.kubernetes.api.model.HasMetadata> objects;
        try (var in = java.nio.file.Files.newInputStream(Repository.root().resolve("manifests").resolve(manifest))) {
            objects = stack.client().load(in).items();
        }
        var container = objects.stream().filter(o -> o instanceof io.fabric8.kubernetes.api.model.apps.Deployment)
                .map(o -> (io.fabric8.kubernetes.api.model.apps.Deployment) o).findFirst().orElseThrow()
                .getSpec().getTemplate().getSpec().getContainers().get(0);
        java.util.List<String> args = new java.util.ArrayList<>(java.util.List.of("-jar", Repository.root().resolve(jar).toString()));
        for (String arg : container.getArgs()) {
            args.add(podPaths.getOrDefault(arg, arg));
        }
        args.addAll(outsideAPod);
        java.nio.file.Files.createDirectories(dir);
        return JavaProcess.start(dir.resolve("process.log"), args, environment);
    }

}
