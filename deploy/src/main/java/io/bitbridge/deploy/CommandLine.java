package io.bitbridge.deploy;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The launcher's command line: its commands, their options and usage texts, and the parsing of arguments.
 * <p>
 * This file uses nothing but the JDK on purpose. Before Bitbridge is built, the {@code ./bitbridge} script runs
 * it as a source file ({@code java CommandLine.java ARGS}) so that {@code --help} and a mistyped command are
 * answered without a build. Run that way it prints the usage and exits 0, prints one error line and exits
 * {@value #USAGE_ERROR}, or prints nothing and exits {@value #PROCEED} when the arguments name a command to run.
 */
public record CommandLine(Command command, Map<String, String> options, boolean help) {
    public static final int USAGE_ERROR = 2;
    /** Exit code of {@link #main} for "the arguments are valid, run the command". */
    public static final int PROCEED = 10;
    static final String ALLOW_ACCOUNT_CHANGE = "--allow-account-change";

    /** One option of a command; {@code valueName} is null for a flag. */
    public record Option(String name, String valueName, boolean required, String defaultValue, String help) {
        static Option flag(String name, String help) {
            return new Option(name, null, false, null, help);
        }

        boolean takesValue() {
            return valueName != null;
        }

        String synopsis() {
            String text = takesValue() ? name + " " + valueName : name;
            return required ? text : "[" + text + "]";
        }
    }

    public enum Command {
        HELP("help", "show this overview", ""),
        UP("up", "build when needed, start Kafka, PostgreSQL and the services, stay in the foreground",
                """
                Builds Bitbridge when needed, starts Kafka, PostgreSQL and the services, waits until they are healthy
                and stays in the foreground. Ctrl-C, or ./bitbridge down from another terminal, stops everything.""",
                Option.flag("--sandbox", "fakes of Bitbucket Cloud, Bitbucket Server and Jenkins stand in for the real products")),
        DOWN("down", "stop the running stack",
                "Stops a running ./bitbridge up and anything it left behind."),
        TOKEN("token", "print a bearer token for the APIs",
                "Prints a token signed with the local key pair (made on first use), for curl -H \"Authorization: Bearer ...\".",
                new Option("--role", "ROLE", true, null, "admin, viewer or service (service needs --allow-service)"),
                new Option("--ttl", "DURATION", false, "8h", "how long the token is valid: 30m, 8h, 7d (default 8h, at most 30d)"),
                Option.flag("--allow-service", "allow --role service: a token that acts as a Bitbridge service")),
        STATUS("status", "say whether Bitbridge is running",
                "Says whether Bitbridge is running; exits 0 if it is, 3 if it is not."),
        OAUTH("oauth", "print a Bitbucket Cloud consent link to open in a browser (OAuth credential)",
                """
                Against a running ./bitbridge up: asks credential-service for a consent link that connects a new Bitbucket
                Cloud OAuth credential (--name) or an existing one again (--reconnect), and prints it. Open it in a
                browser within a few minutes (it works once), grant access on Bitbucket, and the page you land on names
                the credential and the account. Needs the OAuth consumer (BITBUCKET_OAUTH_CLIENT_ID and _SECRET; the
                sandbox has one) registered with the callback URL ./bitbridge up prints.""",
                new Option("--name", "NAME", false, null, "the new credential's name"),
                new Option("--reconnect", "ID", false, null, "an OAuth credential's id, to connect it again instead"),
                Option.flag(ALLOW_ACCOUNT_CHANGE, "with --reconnect: consent may come from another Bitbucket account")),
        DEMO("demo", "push a tagged commit through a running sandbox stack and show what each service did",
                """
                Against a running ./bitbridge up --sandbox: connects the Bitbucket Cloud fake's acme/game repository
                (an API-token credential and its webhook), commits "GAME-123: Add textures #jenkins:GameBuild", and
                prints step by step what each service did, with the URLs to look at.""");

        private final String word;
        private final String summary;
        private final String description;
        private final List<Option> options;

        Command(String word, String summary, String description, Option... options) {
            this.word = word;
            this.summary = summary;
            this.description = description;
            this.options = List.of(options);
        }

        public String word() {
            return word;
        }

        public List<Option> options() {
            return options;
        }

        Optional<Option> option(String name) {
            return options.stream().filter(o -> o.name().equals(name)).findFirst();
        }

        static Optional<Command> named(String word) {
            return Arrays.stream(values()).filter(c -> c.word.equals(word)).findFirst();
        }
    }

    /** A mistake in the arguments, said in one line that points to the right {@code --help}. */
    public static final class UsageException extends IllegalArgumentException {
        UsageException(String message) {
            super(message);
        }
    }

    public static CommandLine parse(String... args) {
        if (args.length == 0 || isHelp(args[0]) || args[0].equals(Command.HELP.word)) {
            return new CommandLine(Command.HELP, Map.of(), true);
        }
        Command command = Command.named(args[0]).orElseThrow(() -> new UsageException(
                (args[0].startsWith("-") ? "unknown option '" : "unknown command '") + args[0] + "'; see ./bitbridge --help"));
        List<String> rest = List.of(args).subList(1, args.length);
        if (rest.stream().anyMatch(CommandLine::isHelp)) {
            return new CommandLine(command, Map.of(), true);
        }
        String seeHelp = "; see ./bitbridge " + command.word + " --help";
        Map<String, String> options = new LinkedHashMap<>();
        for (int i = 0; i < rest.size(); i++) {
            String arg = rest.get(i);
            String name = arg.contains("=") ? arg.substring(0, arg.indexOf('=')) : arg;
            Option option = command.option(name).orElseThrow(() -> new UsageException(
                    (arg.startsWith("-") ? "unknown option '" : "unexpected argument '") + arg + "' for " + command.word + seeHelp));
            String value;
            if (!option.takesValue()) {
                if (!name.equals(arg)) {
                    throw new UsageException(name + " takes no value" + seeHelp);
                }
                value = "true";
            } else if (!name.equals(arg)) {
                value = arg.substring(name.length() + 1);
            } else if (i + 1 < rest.size() && !rest.get(i + 1).startsWith("--")) {
                value = rest.get(++i);
            } else {
                throw new UsageException(name + " needs a value (" + option.valueName() + ")" + seeHelp);
            }
            if (options.put(name, value) != null) {
                throw new UsageException(name + " is given twice" + seeHelp);
            }
        }
        for (Option option : command.options) {
            if (option.required() && !options.containsKey(option.name())) {
                throw new UsageException(command.word + " needs " + option.name() + " " + option.valueName() + seeHelp);
            }
        }
        if (command == Command.OAUTH) {
            if (options.containsKey("--name") == options.containsKey("--reconnect")) {
                throw new UsageException("oauth needs either --name NAME (a new credential) or --reconnect ID" + seeHelp);
            }
            if (options.containsKey(ALLOW_ACCOUNT_CHANGE) && !options.containsKey("--reconnect")) {
                throw new UsageException(ALLOW_ACCOUNT_CHANGE + " goes with --reconnect" + seeHelp);
            }
        }
        return new CommandLine(command, Map.copyOf(options), false);
    }

    public boolean flag(String name) {
        return options.containsKey(name);
    }

    /** The option's value as given, or its default (null for none). */
    public String value(String name) {
        return options.getOrDefault(name, command.option(name).map(Option::defaultValue).orElse(null));
    }

    /** What {@code --help} prints for this command line's command. */
    public String usage() {
        if (command == Command.HELP) {
            String commands = Arrays.stream(Command.values()).filter(c -> c != Command.HELP)
                    .map(c -> String.format("  %-8s %s%n", c.word, c.summary)).collect(Collectors.joining());
            return "usage: ./bitbridge COMMAND [OPTIONS]\n\ncommands:\n" + commands
                    + "\n./bitbridge COMMAND --help shows a command's options; nothing is built or started for --help.\n";
        }
        StringBuilder text = new StringBuilder("usage: ./bitbridge ").append(command.word);
        command.options.forEach(o -> text.append(' ').append(o.synopsis()));
        text.append("\n\n").append(command.description).append("\n\noptions:\n");
        command.options.forEach(o -> text.append(String.format("  %-22s %s%n", o.takesValue() ? o.name() + " " + o.valueName() : o.name(), o.help())));
        return text.append(String.format("  %-22s %s%n", "-h, --help", "show this help; starts nothing")).toString();
    }

    private static boolean isHelp(String arg) {
        return arg.equals("--help") || arg.equals("-h");
    }

    /** The script's check before a build: see the class comment. */
    public static void main(String[] args) {
        try {
            CommandLine line = parse(args);
            if (line.help()) {
                System.out.print(line.usage());
                System.exit(0);
            }
            System.exit(PROCEED);
        } catch (UsageException e) {
            System.err.println("bitbridge: " + e.getMessage());
            System.exit(USAGE_ERROR);
        }
    }
}
