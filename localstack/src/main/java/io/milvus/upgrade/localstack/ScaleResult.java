package io.milvus.upgrade.localstack;

import java.util.List;
import java.util.Map;

/** One {@code make bench-scale} run's figures for one N, and the table it prints. */
public record ScaleResult(int n, boolean matchConditions, double applySeconds, double succeededSeconds, double reconcilesPerUpgrade, double reviewsPerUpgrade, double conversionsPerUpgrade,
                          double reviewP50Ms, double reviewP99Ms, double apiserverRequestsPerUpgrade, double apiserverWritesPerUpgrade,
                          long webhookRssKib, long controllerRssKib, long webhookLiveHeapKib, long controllerLiveHeapKib,
                          int workQueuePeak, Map<String, Integer> reviewsBy) {

    static ScaleResult of(int n, boolean matchConditions, double applySeconds, double succeededSeconds, ScaleProbe.Snapshot before, ScaleProbe.Snapshot after,
                          ScaleProbe.Peaks peaks, ScaleProbe.LiveHeap heap, ScaleProbe.Reviews reviews) {
        List<Double> sorted = reviews.latenciesMs().stream().sorted().toList();
        return new ScaleResult(n, matchConditions, applySeconds, succeededSeconds,
                (after.reconciles() - before.reconciles()) / n,
                (after.reviews() - before.reviews()) / n,
                (after.conversions() - before.conversions()) / n,
                percentile(sorted, 0.50), percentile(sorted, 0.99),
                (after.apiserverRequests() - before.apiserverRequests()) / n,
                (after.apiserverWrites() - before.apiserverWrites()) / n,
                peaks.webhookRssKib(), peaks.controllerRssKib(), heap.webhookKib(), heap.controllerKib(), peaks.workQueueDepth(),
                reviews.byPathOperationUser());
    }

    static double percentile(List<Double> sorted, double quantile) {
        if (sorted.isEmpty()) return Double.NaN;
        int index = (int) Math.ceil(quantile * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index)));
    }

    public String table() {
        StringBuilder table = new StringBuilder();
        table.append("| N = %,d (matchConditions %s) | |%n|---|---:|%n".formatted(n, matchConditions ? "on" : "off"));
        row(table, "time to all Succeeded (from the first create)", "%.1f s".formatted(succeededSeconds));
        row(table, "creating the MilvusUpgrades (8 clients)", "%.1f s".formatted(applySeconds));
        row(table, "reconciles per upgrade", "%.1f".formatted(reconcilesPerUpgrade));
        row(table, "admission reviews per upgrade", "%.1f".formatted(reviewsPerUpgrade));
        row(table, "conversion reviews per upgrade (v1beta1 to the stored version and back)", "%.1f".formatted(conversionsPerUpgrade));
        row(table, "review latency p50 / p99 (webhook log)", "%.1f / %.1f ms".formatted(reviewP50Ms, reviewP99Ms));
        row(table, "apiserver requests per upgrade (all clients) / writes", "%.1f / %.1f".formatted(apiserverRequestsPerUpgrade, apiserverWritesPerUpgrade));
        row(table, "webhook RSS, peak", "%d MiB".formatted(webhookRssKib / 1024));
        row(table, "controller RSS, peak", "%d MiB".formatted(controllerRssKib / 1024));
        row(table, "live heap after a full GC at the end: webhook / controller", "%.1f / %.1f MiB".formatted(webhookLiveHeapKib / 1024.0, controllerLiveHeapKib / 1024.0));
        row(table, "controller work-queue depth, peak", "%d".formatted(workQueuePeak));
        table.append("reviews per upgrade by path, operation and user:%n".formatted());
        reviewsBy.forEach((what, count) -> table.append("  %-70s %.2f%n".formatted(what, (double) count / n)));
        return table.toString();
    }

    private static void row(StringBuilder table, String what, String value) {
        table.append("| %s | %s |%n".formatted(what, value));
    }
}
