package io.milvus.upgrade.cli;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code java -jar milvus-webhook.jar serve|review|plan|policy ...}. */
@Command(name = "milvus-webhook", mixinStandardHelpOptions = true, version = "milvus-webhook 0.1.0",
        description = "Admission and conversion webhooks for Milvus upgrades.")
public final class WebhookMain implements Runnable {

    /** Exit code for bad input: unreadable files, bad flags, unknown kinds. */
    public static final int BAD_INPUT = 2;
    /** Exit code for a failure that is not the input's fault. */
    public static final int INTERNAL_ERROR = 3;

    /** By name, in the order --help lists them. */
    private static final Map<String, Supplier<Object>> COMMANDS = commands();

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        EarlyStart.begin();
        System.exit(commandLine(args).execute(args));
    }

    private static Map<String, Supplier<Object>> commands() {
        Map<String, Supplier<Object>> commands = new LinkedHashMap<>();
        commands.put("serve", ServeCommand::new);
        commands.put("review", ReviewCommand::new);
        commands.put("plan", PlanCommand::new);
        commands.put("policy", PolicyCommand::new);
        return commands;
    }

    /** The command line with every command and our exit codes; also used by tests to run commands in-process. */
    public static CommandLine commandLine() {
        return withCommands(COMMANDS.keySet());
    }

    /**
     * When {@code args} start with a command's name, the command line holds only that command:
     * picocli reads the annotations of every command it is given, and one of review's types waits
     * for the early-start thread, all for commands the server never runs.
     */
    static CommandLine commandLine(String[] args) {
        return args.length > 0 && COMMANDS.containsKey(args[0]) ? withCommands(List.of(args[0])) : commandLine();
    }

    private static CommandLine withCommands(Collection<String> names) {
        CommandLine cli = new CommandLine(new WebhookMain());
        for (String name : names) {
            cli.addSubcommand(name, COMMANDS.get(name).get());
        }
        return cli
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
        throw new CommandLine.ParameterException(spec.commandLine(), "name a command: serve, review, plan or policy");
    }
}
