package io.milvus.upgrade.cli;

import io.milvus.upgrade.policy.PolicyException;
import io.milvus.upgrade.policy.PolicyFile;
import io.milvus.upgrade.policy.PolicySource;
import io.milvus.upgrade.policy.UpgradePolicy;
import io.milvus.upgrade.review.DocumentReview;
import io.milvus.upgrade.review.ManifestReader;
import io.milvus.upgrade.review.ManifestReviewer;
import io.milvus.upgrade.review.Outcome;
import io.milvus.upgrade.review.PreviousVersions;
import io.milvus.upgrade.review.ReportFormat;
import io.milvus.upgrade.review.ReviewReport;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * The admission decision for manifests, without a cluster, as manifest checkers such as
 * kubeconform run in CI: the same defaulting, validation and image guard as the webhook, on
 * files, directories and standard input, a verdict per document.
 */
@Command(name = "review", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Review MilvusUpgrade and Milvus manifests offline, a verdict per document (other kinds are skipped).",
                "Input: files, directories (recursive: *.yaml, *.yml, *.json), - for standard input; several documents per file; List objects.",
                "Exit codes: 0 all allowed, 1 any denied (or warned, with --strict), 2 any unreadable (one line each on stderr)."})
final class ReviewCommand implements Callable<Integer> {

    /** Standard input; tests replace it. */
    static InputStream stdin = System.in;

    @Parameters(paramLabel = "FILE|DIR|-", arity = "0..*", description = "manifests to review")
    List<String> inputs = new ArrayList<>();

    @Option(names = {"-f", "--filename"}, paramLabel = "FILE|DIR|-", description = "manifests to review, as kubectl names them (repeatable)")
    List<String> filenames = new ArrayList<>();

    @Option(names = "--old", paramLabel = "FILE|DIR|-",
            description = "the objects as they are now (repeatable): a document matching one by kind, namespace and name is reviewed as an update")
    List<String> old = new ArrayList<>();

    @Option(names = {"-o", "--output"}, paramLabel = "text|json|junit", defaultValue = "text", converter = FormatConverter.class,
            description = "report format (default: ${DEFAULT-VALUE})")
    ReportFormat format;

    @Option(names = "--strict", description = "warnings fail the run (exit 1)")
    boolean strict;

    @Option(names = "--namespace", defaultValue = "default", description = "namespace of objects whose metadata names none (default: ${DEFAULT-VALUE})")
    String namespace;

    @Option(names = "--policy", description = "policy file (YAML); default: the built-in policy")
    Path policyFile;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        PrintWriter err = spec.commandLine().getErr();
        List<String> all = new ArrayList<>(filenames);
        all.addAll(inputs);
        if (all.isEmpty()) {
            throw new CommandLine.ParameterException(spec.commandLine(), "name the manifests to review: files, directories or - (standard input)");
        }
        UpgradePolicy policy;
        try {
            policy = policyFile == null ? UpgradePolicy.builtIn() : PolicyFile.read(policyFile);
        } catch (PolicyException e) {
            err.println("review: " + e.getMessage());
            return WebhookMain.BAD_INPUT;
        }
        ManifestReader reader = new ManifestReader(stdin);
        PreviousVersions previous = old.isEmpty() ? PreviousVersions.none() : new PreviousVersions(reader.read(old), namespace);
        MilvusWebhooks webhooks = MilvusWebhooks.create(PolicySource.fixed(policy), previous.asCluster());
        ManifestReviewer reviewer = new ManifestReviewer(webhooks.mutateMilvusUpgrade(), webhooks.validateMilvusUpgrade(),
                webhooks.validateMilvus(), namespace, previous);
        ReviewReport report = new ReviewReport(reviewer.reviewAll(reader.read(all)), strict);
        for (DocumentReview document : report.documents()) {
            if (document.outcome() == Outcome.UNREADABLE) err.println("review: " + document.ref() + ": " + document.message());
        }
        err.flush();
        format.write(report, spec.commandLine().getOut());
        return report.exitCode();
    }

    static final class FormatConverter implements CommandLine.ITypeConverter<ReportFormat> {
        @Override
        public ReportFormat convert(String value) {
            try {
                return ReportFormat.parse(value);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException(e.getMessage());
            }
        }
    }
}
