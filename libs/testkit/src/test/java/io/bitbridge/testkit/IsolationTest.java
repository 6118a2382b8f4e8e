package io.bitbridge.testkit;

import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A second class: it gets its own, empty schema and its own topics, whatever HarnessTest wrote. */
@QuarkusTest
@WithTestResource(value = BitbridgeTestResource.class, scope = TestResourceScope.RESTRICTED_TO_CLASS)
class IsolationTest {

    @Test
    void startsFromAnEmptySchemaAndOwnTopics() throws Exception {
        try (Connection c = TestInfra.jdbc(); ResultSet rs = c.createStatement().executeQuery("select count(*) from probe_note")) {
            assertTrue(rs.next());
            assertEquals(0, rs.getInt(1), "schema " + TestInfra.schema() + " must start empty");
        }
        given().auth().oauth2(TestTokens.viewer()).get("/probe/messages").then().statusCode(200)
                .body("size()", org.hamcrest.Matchers.equalTo(0));
        given().auth().oauth2(TestTokens.admin()).contentType(ContentType.TEXT).body("mine").post("/probe/notes").then().statusCode(200);
    }
}
