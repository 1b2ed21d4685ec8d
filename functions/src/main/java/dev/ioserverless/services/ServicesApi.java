package dev.ioserverless.services;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import dev.ioserverless.common.AwsClients;
import dev.ioserverless.common.Config;
import dev.ioserverless.common.Failures;
import dev.ioserverless.common.Hashing;
import dev.ioserverless.common.Http;
import dev.ioserverless.common.Log;
import dev.ioserverless.common.Problem;
import dev.ioserverless.common.ProblemException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The one request pipeline of every Services API handler. For each request, in this order:
 *
 * <ol>
 *   <li><b>Authentication</b>: the {@value ServiceAuthenticator#API_KEY_HEADER}, the service's
 *       primary or secondary key (401 when absent or unknown).
 *   <li><b>Rate limit</b>: the request counts {@link ApiOperation#cost} against the service's
 *       {@link Service#rateLimit()} per {@value RateLimitPolicy#WINDOW_SECONDS} s window
 *       (429 with Retry-After when over). Requests without a valid key are not counted; every
 *       other one is, invalid or forbidden ones too, as IO's API gateway counts them before its
 *       backend looks at them.
 *   <li><b>Source address</b>: the service's authorized CIDRs (403).
 *   <li><b>Groups</b>: the service needs one of the operation's groups (403).
 *   <li><b>Idempotency</b>, for idempotent operations with an {@value IdempotencyKey#HEADER}
 *       header: 400 for an invalid key, a replay of the stored response, 422 for a key used by
 *       another request, 409 while the same request is in progress.
 *   <li><b>The operation</b>: body validation and the work itself.
 *   <li><b>Decoration</b>: every response to a request with a valid key carries
 *       {@value RateLimitDecision#LIMIT_HEADER} and {@value RateLimitDecision#REMAINING_HEADER}
 *       (unless the rate limiter itself failed, a 500).
 * </ol>
 *
 * Errors are problem responses; anything unexpected is a 500 that reveals nothing. A rejected
 * request writes nothing but its rate-limit count: an idempotency claim made for it is deleted.
 * One log line per rejection or failure; the operation logs its successes.
 */
public final class ServicesApi {
    private static final int FINISH_ATTEMPTS = 3;
    private final ServiceAuthenticator authenticator;
    private final RateLimiter rateLimiter;
    private final Idempotency idempotency;
    /** Retry-After of a 503 for a dependency that failed (throttled, unavailable, timed out). */
    static final int TRANSIENT_RETRY_AFTER_SECONDS = 1;
    private final Clock clock;
    private final Log log;

    /**
     * @param idempotencyStore null for a function without idempotent operations
     */
    public ServicesApi(ServiceStore services, RateLimiter rateLimiter, IdempotencyStore idempotencyStore,
                       Clock clock, Log log) {
        this.authenticator = new ServiceAuthenticator(services);
        this.rateLimiter = rateLimiter;
        this.idempotency = idempotencyStore == null ? null : new Idempotency(idempotencyStore, new IdempotencyPolicy());
        this.clock = clock;
        this.log = log;
    }

    /**
     * The pipeline on DynamoDB: {@code SERVICES_TABLE}, {@code API_KEYS_TABLE},
     * {@code RATE_LIMITS_TABLE} and, when {@code idempotent}, {@code IDEMPOTENCY_TABLE}. A key's
     * service is remembered for {@code SERVICE_CACHE_SECONDS} (default 0: not at all) per container.
     */
    public static ServicesApi fromConfig(Config config, Log log, boolean idempotent) {
        DynamoDbClient dynamo = AwsClients.dynamoDb(config);
        ServiceStore services = new DynamoServiceStore(dynamo, config.require("SERVICES_TABLE"),
                config.require("API_KEYS_TABLE"), config.clock());
        int cacheSeconds = Integer.parseInt(config.get("SERVICE_CACHE_SECONDS", "0"));
        return new ServicesApi(
                cacheSeconds > 0 ? new CachingServiceStore(services, config.clock(), java.time.Duration.ofSeconds(cacheSeconds))
                        : services,
                new DynamoRateLimiter(dynamo, config.require("RATE_LIMITS_TABLE")),
                idempotent ? new DynamoIdempotencyStore(dynamo, config.require("IDEMPOTENCY_TABLE")) : null,
                config.clock(),
                log);
    }

    /** How long before the function's timeout the pipeline answers for itself. */
    static final long DEADLINE_MARGIN_MILLIS = 2_000;

    /** Runs the requests of a container under a deadline (daemon threads: a frozen container keeps them). */
    private static final class Deadlines {
        static final java.util.concurrent.ExecutorService POOL = java.util.concurrent.Executors.newCachedThreadPool(runnable -> {
            Thread thread = new Thread(runnable, "services-api-request");
            thread.setDaemon(true);
            return thread;
        });
    }

    /**
     * {@link #handle(APIGatewayV2HTTPEvent, ApiOperation)} within the invocation's time: when
     * dependencies are so slow that the function would run out of time (and API Gateway answer a
     * bare 5xx), the caller gets a 503 with Retry-After shortly before, and the work goes on in
     * the background. A retry with the same Idempotency-Key is then safe: it waits for that work
     * (409 while it runs) or replays its answer, and creates nothing a second time.
     */
    public APIGatewayV2HTTPResponse handle(APIGatewayV2HTTPEvent event, ApiOperation operation,
                                           com.amazonaws.services.lambda.runtime.Context context) {
        if (context == null) {
            return handle(event, operation);
        }
        long budget = context.getRemainingTimeInMillis() - DEADLINE_MARGIN_MILLIS;
        if (budget <= 0) {
            return deadlineReached(operation);
        }
        java.util.concurrent.Future<APIGatewayV2HTTPResponse> work = Deadlines.POOL.submit(() -> handle(event, operation));
        try {
            return work.get(budget, java.util.concurrent.TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            return deadlineReached(operation);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return deadlineReached(operation);
        } catch (java.util.concurrent.ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (cause instanceof Error error) {
                throw error;
            }
            throw new IllegalStateException(cause);
        }
    }

    private APIGatewayV2HTTPResponse deadlineReached(ApiOperation operation) {
        log.error("request_deadline_reached", "operation", operation.name(),
                "outcome", "answered 503; the work goes on and a retry with the same key is safe");
        return ApiResponse.problem(Problem.of(503, "Service unavailable",
                        "request: its dependencies are slow; retry after " + DEADLINE_RETRY_AFTER_SECONDS + " s"),
                Map.of(RateLimitDecision.RETRY_AFTER_HEADER, Integer.toString(DEADLINE_RETRY_AFTER_SECONDS))).toLambda();
    }

    static final int DEADLINE_RETRY_AFTER_SECONDS = 5;

    public APIGatewayV2HTTPResponse handle(APIGatewayV2HTTPEvent event, ApiOperation operation) {
        if (operation.idempotent() && idempotency == null) {
            throw new IllegalStateException(operation.name() + " is idempotent but no idempotency store is configured");
        }
        Service service = null;
        ApiRequest request = null;
        Map<String, String> rateHeaders = Map.of();
        try {
            service = authenticator.identify(Http.header(event, ServiceAuthenticator.API_KEY_HEADER));
            request = new ApiRequest(event, service);
            RateLimitDecision rate = rateLimiter.acquire(service.serviceId(), service.rateLimit(),
                    Math.max(1, operation.cost(request)), clock.instant());
            rateHeaders = rate.headers();
            if (!rate.allowed()) {
                log.metric("RateLimited", 1, "Count");
                return rejected(operation, request, service, tooManyRequests(rate), rateHeaders);
            }
            ServiceAuthenticator.requireAuthorizedSource(service, Http.sourceIp(event));
            ServiceAuthenticator.requireAnyGroup(service, operation.requiredGroups().toArray(ServiceGroup[]::new));
            Optional<String> key = operation.idempotent()
                    ? IdempotencyKey.parse(request.header(IdempotencyKey.HEADER))
                    : Optional.empty();
            ApiResponse response = key.isPresent()
                    ? runIdempotently(operation, request, key.get())
                    : run(operation, request);
            return response.withHeaders(rateHeaders).toLambda();
        } catch (ProblemException e) {
            return rejected(operation, request, service, e.problem(), rateHeaders);
        } catch (RuntimeException e) {
            return failed(operation, request, service, e).withHeaders(rateHeaders).toLambda();
        }
    }

    private ApiResponse runIdempotently(ApiOperation operation, ApiRequest request, String key) {
        Service service = request.service();
        // Keyed, as fiscal codes are: a plain hash of a short key could be reversed by trying keys.
        request.logField("idempotency_key_ref", log.ref(key));
        Idempotency.Start start = idempotency.start(service.serviceId(), key, request.fingerprint(), clock.instant());
        if (start instanceof Idempotency.Replay replay) {
            log.info("request_replayed", fields(operation, request, service,
                    "status", replay.response().status()));
            log.metric("IdempotentReplays", 1, "Count");
            return operation.fromStore(replay.response(), request);
        }
        if (start instanceof Idempotency.Refuse refuse) {
            logRejection(operation, request, service, refuse.problem());
            return refuse.response();
        }
        IdempotencyRecord claim = ((Idempotency.Proceed) start).claim();
        request.reserveIdsWith(fresh -> idempotency.reserveIds(service.serviceId(), key, request.fingerprint(), fresh,
                clock.instant()));
        ApiResponse response = run(operation, request);
        finish(operation, request, claim, operation.toStore(response));
        return response;
    }

    /**
     * Stores the response (or releases the claim), trying a few times: while the claim stays
     * IN_PROGRESS retries get 409, and once its lease runs out a retry would run the work again.
     * The store's writes are conditional on the claim, so repeating one is harmless.
     */
    private void finish(ApiOperation operation, ApiRequest request, IdempotencyRecord claim, ApiResponse response) {
        for (int attempt = 1; ; attempt++) {
            try {
                if (idempotency.finish(claim, response) == Idempotency.Finish.LOST) {
                    log.warn("idempotency_claim_lost", fields(operation, request, request.service(),
                            "status", response.status()));
                }
                return;
            } catch (RuntimeException e) {
                if (attempt >= FINISH_ATTEMPTS) {
                    // The work is done; answer it. The claim stays IN_PROGRESS until its lease runs out.
                    log.error("idempotency_finish_failed", fields(operation, request, request.service(),
                            "status", response.status(), "attempts", attempt, "error", Failures.describe(e)));
                    return;
                }
            }
        }
    }

    /** Runs the operation; its problems and failures become responses (so idempotency can see them). */
    private ApiResponse run(ApiOperation operation, ApiRequest request) {
        try {
            return operation.execute(request);
        } catch (ProblemException e) {
            logRejection(operation, request, request.service(), e.problem());
            return ApiResponse.problem(e.problem());
        } catch (RuntimeException e) {
            return failed(operation, request, request.service(), e);
        }
    }

    private APIGatewayV2HTTPResponse rejected(ApiOperation operation, ApiRequest request, Service service,
                                              Problem problem, Map<String, String> headers) {
        logRejection(operation, request, service, problem);
        return ApiResponse.problem(problem, headers).toLambda();
    }

    /** Problem details name fields and rules, never submitted values, so they may be logged. */
    private void logRejection(ApiOperation operation, ApiRequest request, Service service, Problem problem) {
        log.info("request_rejected", fields(operation, request, service,
                "status", problem.status(), "detail", problem.detail()));
    }

    private ApiResponse failed(ApiOperation operation, ApiRequest request, Service service, RuntimeException e) {
        log.error("request_failed", fields(operation, request, service, "error", Failures.describe(e)));
        if (Failures.isTransientAws(e)) {
            // A dependency refused or timed out after the SDK's own retries: retrying soon is right.
            return ApiResponse.problem(Problem.of(503, "Service unavailable",
                    "request: a dependency is unavailable; retry after " + TRANSIENT_RETRY_AFTER_SECONDS + " s"),
                    Map.of(RateLimitDecision.RETRY_AFTER_HEADER, Integer.toString(TRANSIENT_RETRY_AFTER_SECONDS)));
        }
        return ApiResponse.problem(Problem.of(500, "Internal error", "request: could not be completed; retry later"));
    }

    private static Object[] fields(ApiOperation operation, ApiRequest request, Service service, Object... more) {
        List<Object> all = new ArrayList<>();
        all.add("operation");
        all.add(operation.name());
        all.add("service_id");
        all.add(service == null ? null : service.serviceId());
        if (request != null) {
            all.addAll(request.logFields());
        }
        all.addAll(Arrays.asList(more));
        return all.toArray();
    }

    private static Problem tooManyRequests(RateLimitDecision rate) {
        String detail = rate.cost() > rate.limit()
                ? "service: this request counts for " + rate.cost() + " requests, more than the service's rate limit of "
                        + rate.limit() + " per " + RateLimitPolicy.WINDOW_SECONDS + " s; send fewer items per request"
                : "service: rate limit of " + rate.limit() + " requests per " + RateLimitPolicy.WINDOW_SECONDS
                        + " s exceeded; retry after " + rate.retryAfterSeconds() + " s";
        return Problem.of(429, "Too many requests", detail);
    }
}
