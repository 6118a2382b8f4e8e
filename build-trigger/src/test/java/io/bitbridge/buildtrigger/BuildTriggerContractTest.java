package io.bitbridge.buildtrigger;

import io.bitbridge.testkit.BitbridgeTestResource;
import io.bitbridge.testkit.ServiceContractTests;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
@WithTestResource(value = BitbridgeTestResource.class, scope = TestResourceScope.RESTRICTED_TO_CLASS)
class BuildTriggerContractTest extends ServiceContractTests {
}
