package io.bitbridge.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import io.bitbridge.deploy.SandboxFlow;
import io.bitbridge.fakes.common.DeliveryAttempt;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The broker goes away while a webhook arrives: the gateway answers 503 with Retry-After to every attempt (nothing
 * acknowledged that is not on Kafka); once the broker is back and the delivery is resent, every push the gateway
 * acknowledged, before, during and after the outage, has its build and its task link exactly once. The stack has a
 * broker of its own: stopping the build's would disturb every other test.
 */
class KafkaOutageE2ETest {
    private static final String REPOSITORY = "acme/game";

    private static E2EStack stack;
    private static SandboxFlow flow;

    @BeforeAll
    static void start() throws Exception {
        stack = E2EStack.start(new OwnBroker(Path.of("target", "e2e-outage-kafka").toAbsolutePath()), Map.of());
        flow = stack.flow();
    }

    @AfterAll
    static void stop() {
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void whileKafkaIsDownTheGatewayAnswers503AndNothingItAcknowledgedIsLost() throws Exception {
        String credential = flow.cloudCredential("e2e-outage");
        flow.registerWebhook(credential, REPOSITORY);
        String before = flow.commit(REPOSITORY, "main", "GAME-300: Before the outage #jenkins:GameBuild", "o/before.txt", "b\n");
        flow.deliveriesOf(before);

        stack.broker.stop();
        String during = flow.commit(REPOSITORY, "main", "GAME-301: During the outage #jenkins:GameBuild", "o/during.txt", "d\n");
        stack.cloud.awaitDeliveries(E2EStack.PATIENCE);
        List<DeliveryAttempt> refused = attemptsOf(during);
        assertEquals(3, refused.size(), "Bitbucket Cloud tries three times: " + refused);
        assertTrue(refused.stream().allMatch(a -> a.status() == 503), "nothing unpublished is acknowledged: " + refused);

        stack.broker.start();
        stack.stack.awaitHealthy();
        // As a person does from the hook's request log once the gateway is back: "Resend request".
        stack.cloud.resendDeliveries();
        stack.cloud.awaitDeliveries(E2EStack.PATIENCE);
        List<DeliveryAttempt> resent = attemptsOf(during);
        assertEquals(202, resent.get(resent.size() - 1).status(), resent.toString());
        String after = flow.commit(REPOSITORY, "main", "GAME-302: After the outage #jenkins:GameBuild", "o/after.txt", "a\n");
        flow.deliveriesOf(after);

        int task = 300;
        for (String commit : List.of(before, during, after)) {
            List<String> states = flow.buildStates(REPOSITORY, commit);
            assertEquals("SUCCESSFUL", states.get(states.size() - 1), commit + ": " + states);
            JsonNode link = flow.taskLinks("GAME-" + task++, commit).get(0);
            assertTrue(link.toString().contains(commit));
        }
        // The pushes of one repository share a partition: after's build means before's resent delivery was read too.
        for (String commit : List.of(before, during, after)) {
            assertEquals(1, stack.triggersOf(commit).size(), "one build of " + commit + ": " + stack.triggersOf(commit));
            assertEquals(1, stack.rows("builds.build_trigger", "commit_hash", commit));
            assertEquals(1, stack.rows("tracker.commits", "hash", commit));
        }
    }

    private static List<DeliveryAttempt> attemptsOf(String commit) {
        return stack.cloud.deliveries().stream().filter(a -> a.bodyText().contains(commit)).toList();
    }
}
