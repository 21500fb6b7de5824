package io.milvus.upgrade.cli;

import io.milvus.upgrade.admissionpolicy.PolicyExportDocument;
import io.milvus.upgrade.milvus.MilvusImageGuard;
import io.milvus.upgrade.policy.PolicyException;
import io.milvus.upgrade.policy.PolicyFile;
import io.milvus.upgrade.policy.UpgradePolicy;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code policy export}: the guard's rules that need no cluster lookup, as ValidatingAdmissionPolicies. */
@Command(name = "policy", mixinStandardHelpOptions = true, description = "Work with the upgrade policy.",
        subcommands = PolicyCommand.Export.class)
final class PolicyCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "name a command: export");
    }

    @Command(name = "export", mixinStandardHelpOptions = true, sortOptions = false,
            description = {"Render the Milvus image guard's rules that need no cluster lookup as ValidatingAdmissionPolicies and bindings",
                    "(Kubernetes 1.33+), from the built-in policy or --policy: enforced rules deny, warned rules warn, rules that are off are left out.",
                    "Exit codes: 0 written, 2 bad input (an unreadable or invalid policy file)."})
    static final class Export implements Callable<Integer> {

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Option(names = "--policy", paramLabel = "FILE", description = "policy file (YAML); default: the built-in policy")
        Path policyFile;

        @Option(names = "--controller-user", paramLabel = "USER",
                description = "a user whose Milvus updates pass (repeatable; default: ${DEFAULT-VALUE}); in the guard-only profile, the operator's")
        List<String> controllerUsers = new ArrayList<>(List.of(MilvusImageGuard.DEFAULT_CONTROLLER_USER));

        @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "write here instead of standard output")
        Path output;

        @Override
        public Integer call() {
            UpgradePolicy policy;
            try {
                policy = policyFile == null ? UpgradePolicy.builtIn() : PolicyFile.read(policyFile);
            } catch (PolicyException e) {
                spec.commandLine().getErr().println("policy export: " + e.getMessage());
                return WebhookMain.BAD_INPUT;
            }
            String source = policyFile == null ? "the built-in policy" : policyFile.getFileName().toString();
            String document = PolicyExportDocument.render(policy, controllerUsers, source);
            if (output == null) {
                spec.commandLine().getOut().print(document);
                spec.commandLine().getOut().flush();
                return 0;
            }
            try {
                Files.writeString(output, document, StandardCharsets.UTF_8);
                return 0;
            } catch (IOException e) {
                spec.commandLine().getErr().println("policy export: cannot write " + output + ": " + e.getMessage());
                return WebhookMain.BAD_INPUT;
            }
        }
    }
}
