package io.milvus.upgrade.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.client.Config;
import io.milvus.upgrade.config.ClusterConnection.Environment;
import io.milvus.upgrade.config.ClusterConnection.InCluster;
import io.milvus.upgrade.config.ClusterConnection.Kubeconfig;
import io.milvus.upgrade.config.ClusterConnection.None;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClusterConnectionTest {

    @TempDir
    Path dir;

    @Test
    void theFlagComesFirst() throws IOException {
        Path flag = kubeconfig("flag.yaml", "https://flag:6443");
        Path variable = kubeconfig("variable.yaml", "https://variable:6443");
        Path home = homeWithConfig("https://home:6443");

        var source = ClusterConnection.find(flag, new Environment(Map.of("KUBECONFIG", variable.toString(), "KUBERNETES_SERVICE_HOST", "10.0.0.1"), home));

        assertThat(source).isEqualTo(new Kubeconfig(List.of(flag), "--kubeconfig"));
        assertThat(masterUrl(source)).isEqualTo("https://flag:6443/");
    }

    @Test
    void aFlagNamingNoFileIsAnErrorEvenWithOtherSources() {
        Path variable = kubeconfig("variable.yaml", "https://variable:6443");

        assertThatThrownBy(() -> ClusterConnection.find(dir.resolve("nope.yaml"), new Environment(Map.of("KUBECONFIG", variable.toString()), dir)))
                .isInstanceOf(IOException.class).hasMessage("--kubeconfig " + dir.resolve("nope.yaml") + ": no such file");
    }

    @Test
    void thenTheVariableOverTheHomeFileSkippingEntriesThatDoNotExist() throws IOException {
        Path variable = kubeconfig("variable.yaml", "https://variable:6443");
        Path home = homeWithConfig("https://home:6443");
        String list = dir.resolve("gone.yaml") + File.pathSeparator + File.pathSeparator + variable;

        var source = ClusterConnection.find(null, new Environment(Map.of("KUBECONFIG", list), home));

        assertThat(source).isEqualTo(new Kubeconfig(List.of(variable), "$KUBECONFIG"));
        assertThat(masterUrl(source)).isEqualTo("https://variable:6443/");
    }

    @Test
    void aVariableNamingNoExistingFileDoesNotFallThroughToAnotherCluster() {
        Path home = homeWithConfig("https://home:6443");
        String list = dir.resolve("gone.yaml").toString();

        assertThatThrownBy(() -> ClusterConnection.find(null, new Environment(Map.of("KUBECONFIG", list), home)))
                .isInstanceOf(IOException.class).hasMessage("$KUBECONFIG=" + list + ": no such file");
    }

    @Test
    void thenTheHomeFileOverTheServiceAccount() throws IOException {
        Path home = homeWithConfig("https://home:6443");

        var source = ClusterConnection.find(null, new Environment(Map.of("KUBECONFIG", " ", "KUBERNETES_SERVICE_HOST", "10.0.0.1"), home));

        assertThat(source).isEqualTo(new Kubeconfig(List.of(home.resolve(".kube/config")), "~/.kube/config"));
        assertThat(masterUrl(source)).isEqualTo("https://home:6443/");
    }

    @Test
    void thenTheServiceAccountInAPod() throws IOException {
        assertThat(ClusterConnection.find(null, new Environment(Map.of("KUBERNETES_SERVICE_HOST", "10.0.0.1"), dir)))
                .isEqualTo(new InCluster("10.0.0.1"));
    }

    @Test
    void elseNoneWhichHasNoConfiguration() throws IOException {
        var source = ClusterConnection.find(null, new Environment(Map.of(), dir));

        assertThat(source).isEqualTo(new None());
        assertThat(ClusterConnection.config(source)).isEmpty();
    }

    @Test
    void relativeCertificatePathsResolveAgainstTheKubeconfigsDirectory() throws IOException {
        Files.createDirectories(dir.resolve("conf"));
        Files.writeString(dir.resolve("conf/ca.crt"), "not read here");
        Path file = write("conf/config", """
                apiVersion: v1
                kind: Config
                clusters: [{name: c, cluster: {server: "https://relative:6443", certificate-authority: ca.crt}}]
                users: [{name: u, user: {token: secret}}]
                contexts: [{name: x, context: {cluster: c, user: u}}]
                current-context: x
                """);

        Config config = ClusterConnection.config(ClusterConnection.find(file, new Environment(Map.of(), dir))).orElseThrow();

        assertThat(config.getCaCertFile()).isEqualTo(dir.resolve("conf/ca.crt").toString());
        assertThat(config.getAutoOAuthToken()).isEqualTo("secret");
    }

    @Test
    void aFileThatIsNoKubeconfigIsNamedInTheError() {
        Path file = write("broken.yaml", "clusters: [unclosed");

        assertThatThrownBy(() -> ClusterConnection.config(ClusterConnection.find(file, new Environment(Map.of(), dir))))
                .isInstanceOf(IOException.class).hasMessageStartingWith(file + ": not a usable kubeconfig");
    }

    private String masterUrl(ClusterConnection.Source source) throws IOException {
        return ClusterConnection.config(source).orElseThrow().getMasterUrl();
    }

    private Path homeWithConfig(String server) {
        kubeconfig("home/.kube/config", server);
        return dir.resolve("home");
    }

    private Path kubeconfig(String name, String server) {
        return write(name, """
                apiVersion: v1
                kind: Config
                clusters: [{name: c, cluster: {server: "%s"}}]
                users: [{name: u, user: {token: t}}]
                contexts: [{name: x, context: {cluster: c, user: u}}]
                current-context: x
                """.formatted(server));
    }

    private Path write(String name, String contents) {
        try {
            Path file = dir.resolve(name);
            Files.createDirectories(file.getParent());
            return Files.writeString(file, contents);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
