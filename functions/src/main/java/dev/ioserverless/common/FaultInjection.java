package dev.ioserverless.common;

import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLongArray;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttribute;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;

/**
 * Injected faults on the AWS SDK calls of a function, for chaos tests and the local platform's
 * {@code --faults}: an {@link ExecutionInterceptor} that the clients of {@link AwsClients} carry
 * when {@code IO_FAULTS} is set, and never otherwise (no deployed function has it).
 *
 * <p>{@code IO_FAULTS} is a comma-separated list of {@code <service>[.<Operation>]=<rate>[:<kinds>]}:
 * {@code dynamodb=0.1,sqs=0.1,sns=0.1}, or {@code dynamodb.PutItem=0.3:ambiguous}. The service is
 * {@code dynamodb}, {@code sqs}, {@code sns} or {@code ssm}; the rate is the chance (0 to 1) that
 * one attempt of a call fails; the kinds, joined by {@code +}, are among
 * <ul>
 *   <li>{@code throttle}: refused before it is served, as DynamoDB's {@code ThrottlingException};
 *   <li>{@code error}: refused before it is served, a 500 {@code InternalFailure};
 *   <li>{@code timeout}: the connection times out before the request is sent;
 *   <li>{@code ambiguous}: the request is served, and its answer lost (a read timeout).
 * </ul>
 * (all four, equally likely, when none is named). The most specific entry for an operation wins.
 * Each attempt is judged on its own, inside the SDK's retries, as a real fault is: the SDK retries
 * what it would retry, and what is left reaches the code. {@code IO_FAULTS_SEED} makes a run's
 * sequence of faults repeatable (per container).
 */
public final class FaultInjection implements ExecutionInterceptor {
    public static final String VARIABLE = "IO_FAULTS";
    public static final String SEED_VARIABLE = "IO_FAULTS_SEED";
    private static final ExecutionAttribute<Boolean> LOSE_ANSWER = new ExecutionAttribute<>("io.faults.loseAnswer");

    /** What an injected fault does. */
    public enum Kind {
        THROTTLE, ERROR, TIMEOUT, AMBIGUOUS
    }

    /** One entry of the specification. */
    public record Rule(String service, String operation, double rate, Set<Kind> kinds) {
        boolean matches(String serviceName, String operationName) {
            return service.equalsIgnoreCase(serviceName) && (operation == null || operation.equalsIgnoreCase(operationName));
        }
    }

    private final List<Rule> rules;
    private final Random random;
    /** Faults injected so far, by kind (ordinal). */
    private final AtomicLongArray injected = new AtomicLongArray(Kind.values().length);

    public FaultInjection(List<Rule> rules, long seed) {
        this.rules = List.copyOf(rules);
        this.random = new Random(seed);
    }

    /** The interceptor of a configuration, or null when it names no faults. */
    public static FaultInjection fromConfig(Config config) {
        return config.find(VARIABLE).filter(spec -> !spec.isBlank())
                .map(spec -> new FaultInjection(parse(spec),
                        config.find(SEED_VARIABLE).map(Long::parseLong).orElse(1L)))
                .orElse(null);
    }

    /**
     * Parses a specification such as {@code dynamodb=0.1,sqs.SendMessage=0.5:ambiguous+timeout}.
     *
     * @throws IllegalArgumentException naming the entry that is wrong
     */
    public static List<Rule> parse(String spec) {
        List<Rule> rules = new ArrayList<>();
        for (String entry : spec.split(",")) {
            String trimmed = entry.trim();
            if (trimmed.isEmpty()) {
                continue;
            }
            int equals = trimmed.indexOf('=');
            if (equals <= 0) {
                throw new IllegalArgumentException("faults: '" + trimmed + "' is not <service>[.<Operation>]=<rate>[:<kinds>]");
            }
            String target = trimmed.substring(0, equals);
            String value = trimmed.substring(equals + 1);
            String service = target;
            String operation = null;
            int dot = target.indexOf('.');
            if (dot > 0) {
                service = target.substring(0, dot);
                operation = target.substring(dot + 1);
            }
            if (!Set.of("dynamodb", "sqs", "sns", "ssm").contains(service.toLowerCase(Locale.ROOT))) {
                throw new IllegalArgumentException("faults: '" + service + "' is not one of dynamodb, sqs, sns, ssm");
            }
            String rateText = value;
            Set<Kind> kinds = EnumSet.allOf(Kind.class);
            int colon = value.indexOf(':');
            if (colon >= 0) {
                rateText = value.substring(0, colon);
                kinds = EnumSet.noneOf(Kind.class);
                for (String kind : value.substring(colon + 1).split("\\+")) {
                    try {
                        kinds.add(Kind.valueOf(kind.trim().toUpperCase(Locale.ROOT)));
                    } catch (IllegalArgumentException e) {
                        throw new IllegalArgumentException("faults: '" + kind + "' is not one of throttle, error, timeout, ambiguous");
                    }
                }
            }
            double rate;
            try {
                rate = Double.parseDouble(rateText);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("faults: rate '" + rateText + "' is not a number");
            }
            if (!(rate >= 0 && rate <= 1)) {
                throw new IllegalArgumentException("faults: rate " + rateText + " is not between 0 and 1");
            }
            rules.add(new Rule(service.toLowerCase(Locale.ROOT), operation, rate, kinds));
        }
        return rules;
    }

    /** How many faults of {@code kind} this interceptor injected. */
    public long injected(Kind kind) {
        return injected.get(kind.ordinal());
    }

    @Override
    public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
        attributes.putAttribute(LOSE_ANSWER, false);
        String service = normalized(attributes.getAttribute(SdkExecutionAttribute.SERVICE_NAME));
        String operation = attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
        Rule rule = ruleFor(service, operation);
        if (rule == null || rule.kinds().isEmpty()) {
            return;
        }
        Kind kind;
        synchronized (random) {
            if (random.nextDouble() >= rule.rate()) {
                return;
            }
            List<Kind> kinds = List.copyOf(rule.kinds());
            kind = kinds.get(random.nextInt(kinds.size()));
        }
        injected.incrementAndGet(kind.ordinal());
        switch (kind) {
            case THROTTLE -> throw serviceError(service, 400, "ThrottlingException", "injected throttling");
            case ERROR -> throw serviceError(service, 500, "InternalFailure", "injected server error");
            case TIMEOUT -> throw SdkClientException.builder().message("injected: connect timed out")
                    .cause(new SocketTimeoutException("injected: connect timed out")).build();
            case AMBIGUOUS -> attributes.putAttribute(LOSE_ANSWER, true);
            default -> throw new IllegalStateException(kind.name());
        }
    }

    @Override
    public void afterTransmission(Context.AfterTransmission context, ExecutionAttributes attributes) {
        if (Boolean.TRUE.equals(attributes.getAttribute(LOSE_ANSWER))) {
            attributes.putAttribute(LOSE_ANSWER, false);
            throw SdkClientException.builder().message("injected: read timed out after the request was served")
                    .cause(new SocketTimeoutException("injected: read timed out")).build();
        }
    }

    private Rule ruleFor(String service, String operation) {
        Rule general = null;
        for (Rule rule : rules) {
            if (rule.matches(service, operation)) {
                if (rule.operation() != null) {
                    return rule;
                }
                general = general == null ? rule : general;
            }
        }
        return general;
    }

    private static String normalized(String serviceName) {
        return serviceName == null ? "" : serviceName.toLowerCase(Locale.ROOT);
    }

    private static AwsServiceException serviceError(String service, int status, String code, String message) {
        return AwsServiceException.builder()
                .statusCode(status)
                .message(message)
                .awsErrorDetails(AwsErrorDetails.builder().errorCode(code).errorMessage(message).serviceName(service).build())
                .build();
    }
}
