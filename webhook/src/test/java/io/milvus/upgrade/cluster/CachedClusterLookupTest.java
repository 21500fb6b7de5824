package io.milvus.upgrade.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.milvus.upgrade.api.serialization.ApiSerialization;
import io.milvus.upgrade.api.v1beta1.MilvusUpgrade;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The cached lookup never lets a cache that is behind, or not synced, hide an unfinished upgrade
 * of the same Milvus. The cache is a stand-in here (one that holds what a test says, stuck
 * behind); the apiserver is a canned one on loopback that records what it was asked.
 */
class CachedClusterLookupTest {

    private static final String UPGRADES = "/apis/milvus.io/v1beta1/milvusupgrades";

    private final List<String> asked = new CopyOnWriteArrayList<>();
    private volatile String listBody = list();
    private HttpServer server;
    private KubernetesClient client;

    /** A cache as of some past moment: it never sees anything newer. */
    private record FrozenCache(boolean serving, List<MilvusUpgrade> held) implements CachedClusterLookup.UpgradeCache {
        @Override
        public List<MilvusUpgrade> targeting(String namespace, String milvusName) {
            return held.stream().filter(u -> u.targets(namespace, milvusName)).toList();
        }

        @Override
        public void close() {
        }
    }

    private CachedClusterLookup lookup(FrozenCache cache) throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            asked.add(exchange.getRequestURI().toString());
            byte[] body = (exchange.getRequestURI().getPath().equals(UPGRADES) ? listBody : "{}").getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        client = new KubernetesClientBuilder()
                .withConfig(new ConfigBuilder(io.fabric8.kubernetes.client.Config.empty())
                        .withMasterUrl("http://127.0.0.1:" + server.getAddress().getPort()).withRequestRetryBackoffLimit(0).build())
                .withKubernetesSerialization(ApiSerialization.cluster()).build();
        return new CachedClusterLookup(cache, new KubernetesClusterLookup(client, Duration.ofSeconds(5)));
    }

    @AfterEach
    void stop() {
        if (client != null) client.close();
        if (server != null) server.stop(0);
    }

    private static String upgrade(String name, String uid, boolean labelled, String state) {
        String labels = labelled ? ",\"labels\":{\"milvus-upgrade.io/milvus-name\":\"my-release\",\"milvus-upgrade.io/milvus-namespace\":\"default\"}" : "";
        return """
                {"apiVersion":"milvus.io/v1beta1","kind":"MilvusUpgrade","metadata":{"name":"%s","namespace":"default","uid":"%s"%s},
                 "spec":{"milvus":{"name":"my-release","namespace":"default"},"sourceVersion":"2.1.4","targetVersion":"2.2.0"},
                 "status":{"state":"%s"}}""".formatted(name, uid, labels, state);
    }

    private static String list(String... items) {
        return "{\"apiVersion\":\"milvus.io/v1beta1\",\"kind\":\"MilvusUpgradeList\",\"metadata\":{},\"items\":[" + String.join(",", items) + "]}";
    }

    private static MilvusUpgrade parsed(String json) {
        return ApiSerialization.kubernetes().unmarshal(json, MilvusUpgrade.class);
    }

    private static List<String> names(Lookup<List<MilvusUpgrade>> lookup) {
        assertThat(lookup).isInstanceOf(Lookup.Found.class);
        return ((Lookup.Found<List<MilvusUpgrade>>) lookup).value().stream().map(u -> u.getMetadata().getName() + "@" + u.state()).toList();
    }

    @Test
    void anUpgradeCreatedAMomentAgoIsFoundThoughTheCacheHasNotSeenIt() throws IOException {
        CachedClusterLookup lookup = lookup(new FrozenCache(true, List.of()));
        listBody = list(upgrade("first", "u1", true, ""));

        assertThat(names(lookup.upgradesOf("default", "my-release"))).containsExactly("first@");
        assertThat(asked).singleElement().asString()
                .contains("labelSelector=milvus-upgrade.io%2Fmilvus-name%3Dmy-release%2Cmilvus-upgrade.io%2Fmilvus-namespace%3Ddefault");
    }

    @Test
    void theFreshReadWinsOverTheCacheForLabelledUpgrades() throws IOException {
        CachedClusterLookup lookup = lookup(new FrozenCache(true, List.of(
                parsed(upgrade("running", "u1", true, "BackupMeta")),
                parsed(upgrade("deleted-since", "u2", true, "BackupMeta")))));
        listBody = list(upgrade("running", "u1", true, "Succeeded"));

        assertThat(names(lookup.upgradesOf("default", "my-release"))).containsExactly("running@Succeeded");
    }

    @Test
    void anUnlabelledUpgradeComesFromTheCache() throws IOException {
        CachedClusterLookup lookup = lookup(new FrozenCache(true, List.of(
                parsed(upgrade("before-the-webhook", "u1", false, "BackupMeta")))));

        assertThat(names(lookup.upgradesOf("default", "my-release"))).containsExactly("before-the-webhook@BackupMeta");
        assertThat(names(lookup.upgradesOf("default", "another"))).isEmpty();
    }

    @Test
    void aCacheNotYetSyncedIsNotAskedAndEveryUpgradeIsRead() throws IOException {
        CachedClusterLookup lookup = lookup(new FrozenCache(false, List.of()));
        listBody = list(upgrade("before-the-webhook", "u1", false, "BackupMeta"));

        assertThat(names(lookup.upgradesOf("default", "my-release"))).containsExactly("before-the-webhook@BackupMeta");
        assertThat(asked).singleElement().asString().doesNotContain("labelSelector");
    }
}
