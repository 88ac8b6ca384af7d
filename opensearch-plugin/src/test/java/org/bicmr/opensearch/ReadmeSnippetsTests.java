package org.bicmr.opensearch;

import java.nio.file.Path;
import java.util.List;
import org.opensearch.test.OpenSearchTestCase;

/**
 * The README's OpenSearch sequence parses as console requests with JSON bodies (the real-node check runs it as
 * written); a body with a comment or a request with its body on the same line is refused.
 */
public class ReadmeSnippetsTests extends OpenSearchTestCase {

  public void testTheReadmeSequenceIsValidConsoleSyntax() throws Exception {
    List<ReadmeSnippets.Request> requests = ReadmeSnippets.read(Path.of("..", "README.md"));
    assertEquals(List.of("PUT /items", "PUT /_ingest/pipeline/hash", "POST /items/_doc?pipeline=hash&refresh=true",
        "POST /items/_doc?pipeline=hash&refresh=true", "POST /items/_search", "GET /_plugins/bicmr/models",
        "POST /_plugins/bicmr/_encode"), requests.stream().map(r -> r.method() + " " + r.path()).toList());
    assertNull(requests.get(5).body());
    assertTrue(requests.get(4).body().contains("bicmr_hamming"));
  }

  public void testWhatIsNotConsoleSyntaxIsRefused() {
    String head = ReadmeSnippets.MARKER + "\n\n```json\n";
    IllegalArgumentException comment = expectThrows(IllegalArgumentException.class, () -> ReadmeSnippets.parse(head
        + "POST _plugins/bicmr/_encode\n{ \"text\": \"sunset\" }   # or an image\n```\n"));
    assertTrue(comment.getMessage(), comment.getMessage().contains("is not one JSON object"));
    IllegalArgumentException sameLine = expectThrows(IllegalArgumentException.class, () -> ReadmeSnippets.parse(head
        + "POST _plugins/bicmr/_encode   { \"text\": \"sunset\" }\n```\n"));
    assertTrue(sameLine.getMessage(), sameLine.getMessage().contains("expected a request line"));
    assertEquals(List.of(new ReadmeSnippets.Request("GET", "/_cat/indices", null)),
        ReadmeSnippets.parse(head + "GET _cat/indices\n```\n"));
  }
}
