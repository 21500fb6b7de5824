package io.milvus.upgrade.config;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.milvus.upgrade.api.serialization.ApiSerialization;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Where the webhook server, the controller and the planner find their cluster, in one order:
 * <ol>
 *   <li>{@code --kubeconfig FILE}: that file, which must exist;</li>
 *   <li>else {@code $KUBECONFIG}: its files that exist, merged as kubectl merges them; a
 *       variable that names no existing file is an error, not a silent fall-through to another
 *       cluster;</li>
 *   <li>else {@code ~/.kube/config}, if it exists;</li>
 *   <li>else, in a pod ({@code $KUBERNETES_SERVICE_HOST} set), its service account;</li>
 *   <li>else none: the webhook then skips its cluster checks, the others cannot start.</li>
 * </ol>
 * The choice ({@link #find}) is separate from the loading ({@link #config}) so that it can be
 * tested against temporary files and a made-up environment.
 */
public final class ClusterConnection {

    private ClusterConnection() {
    }

    /** Where the connection comes from. */
    public sealed interface Source {
        String describe();
    }

    /** Kubeconfig files; {@code origin} is what named them, for messages. */
    public record Kubeconfig(List<Path> files, String origin) implements Source {
        public Kubeconfig {
            files = List.copyOf(files);
        }

        @Override
        public String describe() {
            return origin + " " + files.stream().map(Path::toString).reduce((a, b) -> a + File.pathSeparator + b).orElse("");
        }
    }

    /** The pod's service account; fabric8 re-reads its token as the kubelet rotates it. */
    public record InCluster(String apiserverHost) implements Source {
        @Override
        public String describe() {
            return "the pod's service account (apiserver " + apiserverHost + ")";
        }
    }

    public record None() implements Source {
        @Override
        public String describe() {
            return "no --kubeconfig, no $KUBECONFIG, no ~/.kube/config and not in a pod";
        }
    }

    /** What the choice depends on besides the flag. */
    public record Environment(Map<String, String> variables, Path home) {
        public Environment {
            variables = Map.copyOf(variables);
        }

        /** The process's own; {@code $HOME} before {@code user.home}, as kubectl looks. */
        public static Environment current() {
            String home = System.getenv("HOME");
            return new Environment(System.getenv(), Path.of(home != null && !home.isBlank() ? home : System.getProperty("user.home")));
        }

        String variable(String name) {
            String value = variables.get(name);
            return value == null || value.isBlank() ? null : value;
        }
    }

    /** The source the documented order picks, or an IOException naming a file that is not there. */
    public static Source find(Path kubeconfigFlag, Environment environment) throws IOException {
        if (kubeconfigFlag != null) {
            if (!Files.isRegularFile(kubeconfigFlag)) throw new IOException("--kubeconfig " + kubeconfigFlag + ": no such file");
            return new Kubeconfig(List.of(kubeconfigFlag), "--kubeconfig");
        }
        String list = environment.variable("KUBECONFIG");
        if (list != null) {
            // kubectl skips the entries of the list that do not exist, and so do we.
            List<Path> existing = Arrays.stream(list.split(File.pathSeparator)).filter(s -> !s.isBlank()).map(Path::of)
                    .filter(Files::isRegularFile).toList();
            if (existing.isEmpty()) throw new IOException("$KUBECONFIG=" + list + ": no such file");
            return new Kubeconfig(existing, "$KUBECONFIG");
        }
        Path home = environment.home().resolve(".kube").resolve("config");
        if (Files.isRegularFile(home)) return new Kubeconfig(List.of(home), "~/.kube/config");
        String host = environment.variable("KUBERNETES_SERVICE_HOST");
        return host != null ? new InCluster(host) : new None();
    }

    /** The client configuration of a source; empty for {@link None}. */
    public static Optional<Config> config(Source source) throws IOException {
        return switch (source) {
            case Kubeconfig k when k.files().size() == 1 -> Optional.of(fromFile(k.files().getFirst()));
            // Several files only come from the process's own $KUBECONFIG, which fabric8 reads
            // and merges itself, first file winning as in kubectl.
            case Kubeconfig k -> Optional.of(Config.autoConfigure(null));
            // No kubeconfig exists (find looked), so fabric8's own search ends at the service account.
            case InCluster c -> Optional.of(Config.autoConfigure(null));
            case None n -> Optional.empty();
        };
    }

    /** The process's connection by the documented order, or empty when there is none. */
    public static Optional<KubernetesClient> connectIfConfigured(Path kubeconfigFlag) throws IOException {
        return config(find(kubeconfigFlag, Environment.current())).map(ClusterConnection::client);
    }

    /** The process's connection by the documented order; none is an error. */
    public static KubernetesClient connect(Path kubeconfigFlag) throws IOException {
        Source source = find(kubeconfigFlag, Environment.current());
        return config(source).map(ClusterConnection::client)
                .orElseThrow(() -> new IOException("no cluster to connect to: " + source.describe()));
    }

    /** A client that reads and writes our resources with the shared serialization, sized for the apiserver's lists. */
    public static KubernetesClient client(Config config) {
        return new KubernetesClientBuilder().withConfig(config).withKubernetesSerialization(ApiSerialization.cluster()).build();
    }

    private static Config fromFile(Path file) throws IOException {
        String contents = Files.readString(file);
        try {
            // The path lets relative certificate and key paths resolve against the file's directory.
            return Config.fromKubeconfig(null, contents, file.toString());
        } catch (RuntimeException e) {
            throw new IOException(file + ": not a usable kubeconfig: " + String.valueOf(e.getMessage()).lines().findFirst().orElse(""), e);
        }
    }
}
