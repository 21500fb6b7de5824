package io.milvus.upgrade.bench;

import io.fabric8.kubernetes.api.model.admission.v1.AdmissionResponse;
import io.milvus.upgrade.admission.AdmissionEndpoint;
import io.milvus.upgrade.cli.MilvusWebhooks;
import io.milvus.upgrade.admission.AdmissionReviewCodec;
import io.milvus.upgrade.admission.BadReviewException;
import io.milvus.upgrade.admission.ReviewRequest;
import io.milvus.upgrade.cluster.ClusterLookup;
import io.milvus.upgrade.conversion.ConversionWebhook;
import io.milvus.upgrade.policy.PolicySource;
import java.io.IOException;
import java.io.OutputStream;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * What the server does for one review between reading the body and writing the answer, without
 * HTTP: decode, rules, patch, encode. The server is started without a cluster, as in the load
 * test, so the cluster rules answer "unavailable" at once.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class HotPathBenchmark {

    private final AdmissionReviewCodec codec = new AdmissionReviewCodec();
    private MilvusWebhooks endpoints;
    private ConversionWebhook conversion;
    private byte[] mutateMilvusUpgrade;
    private byte[] validateMilvusUpgrade;
    private byte[] validateMilvus;
    private byte[] convert;

    @Setup
    public void setUp() throws BadReviewException {
        endpoints = MilvusWebhooks.create(PolicySource.builtIn(), ClusterLookup.none());
        conversion = new ConversionWebhook();
        mutateMilvusUpgrade = BenchBodies.mutateMilvusUpgrade();
        validateMilvusUpgrade = BenchBodies.validateMilvusUpgrade();
        validateMilvus = BenchBodies.validateMilvus();
        convert = BenchBodies.convert();
        // A benchmark of a failure path would measure nothing useful: check the answers once.
        requireAllowed(endpoints.mutateMilvusUpgrade(), mutateMilvusUpgrade, true);
        requireAllowed(endpoints.validateMilvusUpgrade(), validateMilvusUpgrade, false);
        requireAllowed(endpoints.validateMilvus(), validateMilvus, false);
        if (!conversion.convert(convert).succeeded()) {
            throw new IllegalStateException("the conversion benchmark's review does not convert");
        }
    }

    @Benchmark
    public byte[] mutateMilvusUpgrade() throws BadReviewException {
        return review(endpoints.mutateMilvusUpgrade(), mutateMilvusUpgrade);
    }

    @Benchmark
    public byte[] validateMilvusUpgrade() throws BadReviewException {
        return review(endpoints.validateMilvusUpgrade(), validateMilvusUpgrade);
    }

    @Benchmark
    public byte[] validateMilvus() throws BadReviewException {
        return review(endpoints.validateMilvus(), validateMilvus);
    }

    @Benchmark
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    public ConversionWebhook.Outcome convert1000Milvus() throws BadReviewException, IOException {
        ConversionWebhook.Outcome outcome = conversion.convert(convert);
        // As the server does: written out, here to nowhere.
        outcome.response().writeTo(OutputStream.nullOutputStream());
        return outcome;
    }

    private byte[] review(AdmissionEndpoint endpoint, byte[] body) throws BadReviewException {
        ReviewRequest request = codec.decode(body);
        return codec.encode(request.apiVersion(), endpoint.review(request));
    }

    private void requireAllowed(AdmissionEndpoint endpoint, byte[] body, boolean patched) throws BadReviewException {
        AdmissionResponse response = endpoint.review(codec.decode(body));
        if (!Boolean.TRUE.equals(response.getAllowed()) || (response.getPatch() != null) != patched) {
            throw new IllegalStateException(endpoint.path() + " answered the benchmark's review unexpectedly: " + response);
        }
    }
}
