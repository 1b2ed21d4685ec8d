package dev.ioserverless.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.Context;
import dev.ioserverless.common.Config;
import dev.ioserverless.local.template.FunctionSpec;
import dev.ioserverless.local.template.Resource;
import dev.ioserverless.local.template.SamTemplate;
import dev.ioserverless.local.template.Stack;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The rules template.yaml must keep, checked on the file as written. */
class TemplateTest {
    private static SamTemplate template;
    private static Stack stack;

    @BeforeAll
    static void load() throws Exception {
        template = SamTemplate.load(Path.of("..", "template.yaml"));
        stack = new Stack(template, LocalPlatform.STACK_NAME, LocalPlatform.REGION, LocalPlatform.ACCOUNT_ID,
                LocalPlatform.LOCAL_PARAMETERS);
        for (Resource queue : template.ofType(SamTemplate.QUEUE)) {
            stack.queueCreated(queue.logicalId(), "http://localhost/000000000000/" + stack.physicalName(queue.logicalId()));
        }
        // KMS gives a key its id when it is created; Ref of a key is that id.
        for (Resource key : template.ofType(SamTemplate.KMS_KEY)) {
            stack.keyCreated(key.logicalId(), java.util.UUID.nameUUIDFromBytes(key.logicalId().getBytes()).toString());
        }
    }

    @Test
    void globalsRunJava21OnArm64WithSnapStartOnPublishedVersions() {
        Map<String, Object> globals = template.functionGlobals();
        assertEquals("java21", globals.get("Runtime"));
        assertEquals(List.of("arm64"), globals.get("Architectures"));
        assertEquals(Map.of("ApplyOn", "PublishedVersions"), globals.get("SnapStart"));
        assertNotNull(globals.get("AutoPublishAlias"), "SnapStart needs published versions");
        assertEquals("functions/target/io-functions-lambda.jar", globals.get("CodeUri"));
    }

    @Test
    void everyFunctionHasAHandlerClassWithBothConstructors() throws Exception {
        List<FunctionSpec> functions = FunctionSpec.all(stack);
        assertFalse(functions.isEmpty());
        for (FunctionSpec function : functions) {
            Class<?> type = Class.forName(function.handlerClass());
            type.getConstructor();
            type.getConstructor(Config.class);
            boolean found = false;
            for (Method method : type.getMethods()) {
                found |= method.getName().equals(function.handlerMethod()) && method.getParameterCount() == 2
                        && method.getParameterTypes()[1] == Context.class;
            }
            assertTrue(found, function.logicalId() + ": " + function.handlerClass() + "::" + function.handlerMethod());
        }
    }

    /** Lambda refuses an SQS trigger on a queue whose visibility timeout is shorter than the function's timeout. */
    @Test
    void aQueueWhoseVisibilityTimeoutIsShorterThanItsConsumersTimeoutIsRefused(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("template.yaml");
        Files.writeString(file, String.join("\n",
                "Transform: AWS::Serverless-2016-10-31",
                "Resources:",
                "  Work:",
                "    Type: AWS::SQS::Queue",
                "    Properties: { VisibilityTimeout: 4 }",
                "  Default:",
                "    Type: AWS::SQS::Queue",
                "  Consumer:",
                "    Type: AWS::Serverless::Function",
                "    Properties:",
                "      Handler: x.Y::handleRequest",
                "      Timeout: 5",
                "      Events:",
                "        Work: { Type: SQS, Properties: { Queue: !GetAtt Work.Arn } }",
                "        Default: { Type: SQS, Properties: { Queue: !GetAtt Default.Arn } }",
                ""));
        Stack small = new Stack(SamTemplate.load(file), "t", LocalPlatform.REGION, LocalPlatform.ACCOUNT_ID, Map.of());
        FunctionSpec consumer = FunctionSpec.all(small).get(0);
        FunctionSpec.SqsTrigger work = consumer.sqsTriggers().stream().filter(t -> t.eventId().equals("Work")).findFirst().orElseThrow();
        FunctionSpec.SqsTrigger fallback = consumer.sqsTriggers().stream().filter(t -> t.eventId().equals("Default")).findFirst().orElseThrow();
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> LocalPlatform.requireVisibilityTimeoutCovers(small, consumer, work));
        assertTrue(refused.getMessage().contains("visibility timeout of 4 s, less than the function's timeout of 5 s"),
                refused.getMessage());
        LocalPlatform.requireVisibilityTimeoutCovers(small, consumer, fallback);   // SQS's default, 30 s, covers 5 s
    }

    @Test
    void everySqsTriggerOfTheTemplateIsOneLambdaAccepts() {
        for (FunctionSpec function : FunctionSpec.all(stack)) {
            function.sqsTriggers().forEach(trigger -> LocalPlatform.requireVisibilityTimeoutCovers(stack, function, trigger));
        }
    }

    /**
     * The citizen API checks tokens before any function runs, and each of its functions knows the
     * claim; the one public route (the emailed validation link, {@code Auth.Authorizer: NONE}) has
     * no claim to know, and its function serves that route only.
     */
    @Test
    void theCitizenApiHasAJwtAuthorizerFromParametersAndItsFunctionsKnowTheClaim() {
        var authorizer = dev.ioserverless.local.auth.JwtAuthorizer.of(stack, template.resources().get("CitizenApi"));
        assertNotNull(authorizer, "CitizenApi has a default JWT authorizer");
        Map<?, ?> jwt = (Map<?, ?>) ((Map<?, ?>) ((Map<?, ?>) ((Map<?, ?>) template.resources().get("CitizenApi")
                .property("Auth")).get("Authorizers")).get("CitizenJwt")).get("JwtConfiguration");
        assertEquals(Map.of("Ref", "CitizenJwtIssuer"), jwt.get("issuer"));
        assertEquals(List.of(Map.of("Ref", "CitizenJwtAudience")), jwt.get("audience"));
        assertEquals("fiscal_code", authorizer.fiscalCodeClaim(), "the parameter's default");
        assertTrue(template.resources().get("HttpApi").property("Auth") == null, "the Services API authenticates by key");
        for (FunctionSpec function : FunctionSpec.all(stack)) {
            if (function.httpRoutes().stream().anyMatch(FunctionSpec.HttpRoute::noAuthorizer)) {
                assertEquals(List.of("GET /api/v1/validate-profile-email"),
                        function.httpRoutes().stream().map(FunctionSpec.HttpRoute::routeKey).toList(),
                        "the only public route of the citizen API");
                assertNull(function.environment().get("FISCAL_CODE_CLAIM"), function.logicalId() + " reads no token");
            } else if (function.httpRoutes().stream().anyMatch(route -> route.apiLogicalId().equals("CitizenApi"))) {
                assertEquals("fiscal_code", function.environment().get("FISCAL_CODE_CLAIM"), function.logicalId());
                assertTrue(function.httpRoutes().stream().allMatch(route -> route.apiLogicalId().equals("CitizenApi")),
                        function.logicalId() + " serves one audience only");
            }
        }
    }

    @Test
    void thePaymentCallbackHasNoAuthorizerAndMayReadOnlyItsSecretParameter() {
        assertNull(template.resources().get("PaymentsApi").property("Auth"), "the signature is the authentication");
        FunctionSpec callback = FunctionSpec.all(stack).stream()
                .filter(f -> f.logicalId().equals("PaymentCallbackFunction")).findFirst().orElseThrow();
        assertEquals(List.of("POST /payments/v1/callback"), callback.httpRoutes().stream()
                .map(r -> r.method() + " " + r.path()).toList());
        assertTrue(callback.httpRoutes().stream().allMatch(r -> r.apiLogicalId().equals("PaymentsApi")));
        for (FunctionSpec function : FunctionSpec.all(stack)) {
            if (!function.logicalId().equals("PaymentCallbackFunction")) {
                assertTrue(function.httpRoutes().stream().noneMatch(r -> r.apiLogicalId().equals("PaymentsApi")),
                        function.logicalId() + " is not the payment platform's");
            }
        }
        List<?> policies = (List<?>) template.resources().get("PaymentCallbackFunction").property("Policies");
        List<Map<?, ?>> ssm = new java.util.ArrayList<>();
        for (Object policy : policies) {
            Object statements = policy instanceof Map<?, ?> p ? p.get("Statement") : null;
            if (statements instanceof List<?> list) {
                list.stream().map(s -> (Map<?, ?>) s).filter(s -> String.valueOf(s.get("Action")).contains("ssm:"))
                        .forEach(ssm::add);
            }
        }
        assertEquals(1, ssm.size(), "one statement grants SSM");
        assertEquals("ssm:GetParameter", ssm.get(0).get("Action"));
        assertEquals("arn:aws:ssm:" + LocalPlatform.REGION + ":" + LocalPlatform.ACCOUNT_ID
                        + ":parameter/io-serverless/payment-callback-secrets",
                stack.resolveString(ssm.get(0).get("Resource")), "that one parameter, no wildcard");
        // DynamoDB adds one index to a table per update: a template adds at most one to an existing table.
        assertNull(template.resources().get("ReceiptsTable").property("GlobalSecondaryIndexes"),
                "receipts and messages meet in the notice's partition, read strongly consistent");
    }

    @Test
    void everyFunctionHasAnEventSourceAndPolicies() {
        for (Resource function : template.ofType(SamTemplate.FUNCTION)) {
            assertFalse(((Map<?, ?>) function.property("Events")).isEmpty(), function.logicalId());
            assertTrue(function.property("Policies") instanceof List<?> policies && !policies.isEmpty(),
                    function.logicalId() + " declares least-privilege policies");
        }
    }

    /**
     * Locally nothing checks IAM, so a table a function is told about but has no policy for would
     * only fail once deployed: every table in a function's environment appears in its policies.
     */
    @Test
    void everyTableAFunctionIsGivenIsCoveredByItsPolicies() {
        for (Resource function : template.ofType(SamTemplate.FUNCTION)) {
            Map<?, ?> variables = (Map<?, ?>) ((Map<?, ?>) function.property("Environment")).get("Variables");
            String policies = String.valueOf(function.property("Policies"));
            for (Object value : variables.values()) {
                if (value instanceof Map<?, ?> ref && ref.get("Ref") instanceof String id
                        && template.resource(id) != null && template.resource(id).type().equals(SamTemplate.TABLE)) {
                    assertTrue(policies.contains("{Ref=" + id + "}") || policies.contains("{Fn::GetAtt=[" + id + ", Arn]}")
                                    || policies.contains("${" + id + ".Arn}/index/"),   // an index of it only
                            function.logicalId() + " is given " + id + " but no policy names it");
                }
            }
        }
    }

    @Test
    void everySqsTriggerReportsBatchItemFailures() {
        int triggers = 0;
        for (FunctionSpec function : FunctionSpec.all(stack)) {
            for (FunctionSpec.SqsTrigger trigger : function.sqsTriggers()) {
                triggers++;
                assertTrue(trigger.reportBatchItemFailures(), function.logicalId() + "." + trigger.eventId());
            }
        }
        assertTrue(triggers > 0);
    }

    @Test
    void everyQueueHasADeadLetterQueueAndAVisibilityTimeoutOfSixTimesItsConsumer() {
        Set<String> deadLetterTargets = new HashSet<>();
        for (Resource queue : template.ofType(SamTemplate.QUEUE)) {
            Object redrive = stack.resolve(queue.property("RedrivePolicy"));
            if (redrive instanceof Map<?, ?> policy) {
                deadLetterTargets.add(stack.queueLogicalIdByArn(String.valueOf(policy.get("deadLetterTargetArn"))));
                assertTrue(((Number) policy.get("maxReceiveCount")).intValue() >= 1);
            }
        }
        for (Resource subscription : template.ofType(SamTemplate.SUBSCRIPTION)) {
            // What SNS could not deliver: a dead-letter target too (it has no maxReceiveCount).
            if (stack.resolve(subscription.property("RedrivePolicy")) instanceof Map<?, ?> policy) {
                deadLetterTargets.add(stack.queueLogicalIdByArn(String.valueOf(policy.get("deadLetterTargetArn"))));
            }
        }
        for (Resource queue : template.ofType(SamTemplate.QUEUE)) {
            boolean hasDlq = queue.property("RedrivePolicy") != null;
            boolean consumed = FunctionSpec.all(stack).stream()
                    .anyMatch(f -> f.sqsTriggers().stream().anyMatch(t -> t.queueLogicalId().equals(queue.logicalId())));
            // A queue without a DLQ must itself be a dead-letter target that no function consumes (a parking queue).
            assertTrue(hasDlq || (deadLetterTargets.contains(queue.logicalId()) && !consumed),
                    queue.logicalId() + " needs a RedrivePolicy");
        }
        for (FunctionSpec function : FunctionSpec.all(stack)) {
            for (FunctionSpec.SqsTrigger trigger : function.sqsTriggers()) {
                Object visibility = template.resource(trigger.queueLogicalId()).property("VisibilityTimeout");
                int seconds = visibility == null ? 30 : ((Number) visibility).intValue();
                assertTrue(seconds >= 6 * function.timeoutSeconds(), trigger.queueLogicalId()
                        + " visibility " + seconds + " s < 6 x " + function.logicalId() + " timeout");
            }
        }
    }

    @Test
    void everyDeadLetterQueueHasAnAlarmThatNotifiesOperations() {
        Set<String> alarmed = new HashSet<>();
        for (Resource alarm : template.ofType("AWS::CloudWatch::Alarm")) {
            assertEquals(List.of(Map.of("Ref", "OperationsAlertsTopic")), alarm.property("AlarmActions"), alarm.logicalId());
            for (Object dimension : (List<?>) alarm.property("Dimensions")) {
                Object value = ((Map<?, ?>) dimension).get("Value");
                if (value instanceof Map<?, ?> getAtt && getAtt.get("Fn::GetAtt") instanceof List<?> parts) {
                    alarmed.add(String.valueOf(parts.get(0)));
                }
            }
        }
        List<Resource> redriven = new java.util.ArrayList<>(template.ofType(SamTemplate.QUEUE));
        redriven.addAll(template.ofType(SamTemplate.SUBSCRIPTION));
        for (Resource queueOrSubscription : redriven) {
            Object redrive = stack.resolve(queueOrSubscription.property("RedrivePolicy"));
            if (redrive instanceof Map<?, ?> policy) {
                String deadLetters = stack.queueLogicalIdByArn(String.valueOf(policy.get("deadLetterTargetArn")));
                assertTrue(alarmed.contains(deadLetters), deadLetters + " needs an alarm");
            }
        }
    }

    /**
     * SNS drops a delivery to a queue that fails on the client side (the queue's policy denies it,
     * the queue was deleted) unless the subscription names a dead-letter queue: every subscription
     * has one, kept when the stack goes, whose queue policy lets the topic send to it.
     */
    @Test
    void everySnsSubscriptionHasARetainedDeadLetterQueueTheTopicMaySendTo() throws Exception {
        Map<?, ?> resources = (Map<?, ?>) dev.ioserverless.local.template.CfnYaml.read(Path.of("..", "template.yaml"))
                .get("Resources");
        for (Resource subscription : template.ofType(SamTemplate.SUBSCRIPTION)) {
            Object redrive = stack.resolve(subscription.property("RedrivePolicy"));
            assertTrue(redrive instanceof Map<?, ?>, subscription.logicalId() + " needs a RedrivePolicy");
            String deadLetterArn = String.valueOf(((Map<?, ?>) redrive).get("deadLetterTargetArn"));
            String deadLetters = stack.queueLogicalIdByArn(deadLetterArn);
            assertEquals("Retain", ((Map<?, ?>) resources.get(deadLetters)).get("DeletionPolicy"), deadLetters);
            String topicArn = stack.resolveString(subscription.property("TopicArn"));
            boolean allowed = false;
            for (Resource policy : template.ofType("AWS::SQS::QueuePolicy")) {
                if (!((List<?>) stack.resolve(policy.property("Queues"))).contains(
                        stack.resolveString(Map.of("Ref", deadLetters)))) {
                    continue;
                }
                Map<?, ?> document = (Map<?, ?>) stack.resolve(policy.property("PolicyDocument"));
                for (Object item : (List<?>) document.get("Statement")) {
                    Map<?, ?> statement = (Map<?, ?>) item;
                    allowed |= "Allow".equals(statement.get("Effect"))
                            && Map.of("Service", "sns.amazonaws.com").equals(statement.get("Principal"))
                            && "sqs:SendMessage".equals(statement.get("Action"))
                            && deadLetterArn.equals(statement.get("Resource"))
                            && Map.of("ArnEquals", Map.of("aws:SourceArn", topicArn)).equals(statement.get("Condition"));
                }
            }
            assertTrue(allowed, deadLetters + " needs a queue policy letting " + topicArn + " send to it");
        }
    }

    @Test
    void tablesAreOnDemandAndRoutesUseOneOfTheThreeHttpApis() {
        for (Resource table : template.ofType(SamTemplate.TABLE)) {
            assertEquals("PAY_PER_REQUEST", table.property("BillingMode"), table.logicalId());
        }
        assertEquals(List.of("HttpApi", "CitizenApi", "PaymentsApi"),
                template.ofType(SamTemplate.HTTP_API).stream().map(Resource::logicalId).toList());
        for (Resource function : template.ofType(SamTemplate.FUNCTION)) {
            ((Map<?, ?>) function.property("Events")).values().forEach(value -> {
                Map<?, ?> event = (Map<?, ?>) value;
                if ("HttpApi".equals(event.get("Type"))) {
                    Object api = ((Map<?, ?>) event.get("Properties")).get("ApiId");
                    assertTrue(Map.of("Ref", "HttpApi").equals(api) || Map.of("Ref", "CitizenApi").equals(api)
                                    || Map.of("Ref", "PaymentsApi").equals(api),
                            function.logicalId() + " routes to a declared API: " + api);
                }
            });
        }
    }

    @Test
    void snsSubscriptionsDeliverToQueuesTheTemplateAllowsSnsToWriteTo() {
        List<Resource> subscriptions = template.ofType(SamTemplate.SUBSCRIPTION);
        assertFalse(subscriptions.isEmpty(), "message-events has SQS subscriptions");
        Set<Object> allowed = new HashSet<>();
        for (Resource policy : template.ofType("AWS::SQS::QueuePolicy")) {
            allowed.addAll((List<?>) stack.resolve(policy.property("Queues")));
        }
        for (Resource subscription : subscriptions) {
            assertEquals("sqs", subscription.property("Protocol"));
            String queueId = stack.queueLogicalIdByArn(stack.resolveString(subscription.property("Endpoint")));
            assertTrue(allowed.contains(stack.resolveString(Map.of("Ref", queueId))),
                    queueId + " needs a queue policy allowing the topic to send");
        }
    }

    /** The payment reminders run on Rome's hours, and may read the reminders index but never scan the status table. */
    @Test
    void thePaymentRemindersRunHourlyInRomeAndQueryOnlyTheRemindersIndex() {
        FunctionSpec reminders = FunctionSpec.all(stack).stream()
                .filter(f -> f.logicalId().equals("PaymentRemindersFunction")).findFirst().orElseThrow();
        assertEquals(1, reminders.schedules().size());
        FunctionSpec.ScheduleTrigger trigger = reminders.schedules().get(0);
        assertTrue(trigger.eventBridgeScheduler(), "ScheduleV2: EventBridge Scheduler, with a time zone");
        assertEquals(java.time.ZoneId.of("Europe/Rome"), trigger.timezone());
        assertEquals("cron(0 8-20 * * ? *)", trigger.expression());
        assertEquals("{\"time\":\"<aws.scheduler.scheduled-time>\"}", trigger.input());
        String policies = String.valueOf(template.resources().get("PaymentRemindersFunction").property("Policies"));
        assertTrue(policies.contains("dynamodb:Query, Resource={Fn::Sub=${MessageStatusTable.Arn}/index/reminders}"), policies);
        assertFalse(policies.contains("dynamodb:Scan"), policies);
        assertFalse(policies.contains("DynamoDBCrudPolicy"), "least privilege, action by action: " + policies);
    }

    @Test
    void outputsGiveTheApiUrl() throws Exception {
        Map<String, Object> document = dev.ioserverless.local.template.CfnYaml.read(Path.of("..", "template.yaml"));
        assertEquals("AWS::Serverless-2016-10-31", document.get("Transform"));
        assertTrue(((Map<?, ?>) document.get("Outputs")).containsKey("ApiUrl"));
    }
}
