package dev.ioserverless.profiles;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import dev.ioserverless.common.Config;
import dev.ioserverless.common.Json;
import dev.ioserverless.common.LambdaEvents;
import dev.ioserverless.common.Log;
import dev.ioserverless.common.SampleEvents;
import dev.ioserverless.services.ApiFixture;
import dev.ioserverless.services.ServiceGroup;
import dev.ioserverless.services.TestServices;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The GetProfileFunction samples in events/ drive the handler to a limited profile. */
class ProfileSampleEventsTest {
    final ApiFixture fixture = new ApiFixture();
    final InMemoryProfileStore profiles = new InMemoryProfileStore();
    final Log log = new Log("test", Config.of(Map.of("LOG_HASH_KEY", "test-log-hash-key-of-at-least-32-chars")));
    final GetProfileHandler handler = new GetProfileHandler(fixture.readOnlyApi(log), profiles,
            new InMemoryServicePreferenceStore(), log);

    ProfileSampleEventsTest() {
        fixture.services.save(TestServices.withGroups(TestServices.tari(), ServiceGroup.ApiLimitedProfileRead),
                SampleEvents.SAMPLE_API_KEY, null);
        profiles.save(TestProfiles.profile(SampleEvents.SAMPLE_FISCAL_CODE, ServicePreferencesMode.AUTO, 0));
    }

    APIGatewayV2HTTPResponse invoke(String sample) {
        return handler.handleRequest(LambdaEvents.read(SampleEvents.load(sample), APIGatewayV2HTTPEvent.class), null);
    }

    @Test
    void bothSamplesAnswerTheSameLimitedProfile() {
        APIGatewayV2HTTPResponse byPath = invoke("GetProfileFunction");
        APIGatewayV2HTTPResponse byPost = invoke("GetProfileFunction-by-post");
        assertEquals(200, byPath.getStatusCode(), byPath.getBody());
        assertEquals(200, byPost.getStatusCode(), byPost.getBody());
        assertEquals(Json.read("{\"sender_allowed\":true,\"preferred_languages\":[\"it_IT\"]}"), Json.read(byPath.getBody()));
        assertEquals(byPath.getBody(), byPost.getBody());
    }
}
