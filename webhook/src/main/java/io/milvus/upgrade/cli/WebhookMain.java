package io.milvus.upgrade.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code java -jar milvus-webhook.jar serve|review|plan ...}. */
@Command(name = "milvus-webhook", mixinStandardHelpOptions = true, version = "milvus-webhook 0.1.0",
        description = "Admission and conversion webhooks for Milvus upgrades.",
        subcommands = {ServeCommand.class, ReviewCommand.class, PlanCommand.class})
public final class WebhookMain implements Runnable {

    /** Exit code for bad input: unreadable files, bad flags, unknown kinds. */
    public static final int BAD_INPUT = 2;
    /** Exit code for a failure that is not the input's fault. */
    public static final int INTERNAL_ERROR = 3;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        EarlyStart.begin();
        System.exit(commandLine().execute(args));
    }

    /** The command line with our exit codes; also used by tests to run commands in-process. */
    public static CommandLine commandLine() {
        return new CommandLine(new WebhookMain())
                .setExecutionExceptionHandler((e, commandLine, parseResult) -> {
                    commandLine.getErr().println(commandLine.getCommandName() + ": internal error: " + e);
                    return INTERNAL_ERROR;
                })
                .setParameterExceptionHandler((e, args) -> {
                    e.getCommandLine().getErr().println(e.getCommandLine().getCommandName() + ": " + e.getMessage()
                            + " (see --help)");
                    return BAD_INPUT;
                });
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "name a command: serve, review or plan");
    }
}
