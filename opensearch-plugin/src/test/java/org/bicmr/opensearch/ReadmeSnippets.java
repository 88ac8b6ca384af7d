package org.bicmr.opensearch;

import com.google.gson.Gson;
import com.google.gson.JsonElement;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The README's OpenSearch sequence as requests, read from the README itself so that what a user copies is what the
 * real-node check runs: the first {@code json} block after the marker sentence, in console syntax (a request line,
 * then its JSON body on the following lines, blank lines between requests).
 */
final class ReadmeSnippets {
  static final String MARKER = "One sequence, in OpenSearch Dashboards' console syntax";
  private static final Pattern REQUEST = Pattern.compile("(GET|PUT|POST|DELETE|HEAD) (\\S+)");

  /** One request: method, path (with a leading slash) and body (null: none). */
  record Request(String method, String path, String body) {}

  private ReadmeSnippets() {}

  /** The sequence of the README at {@code readme}. */
  static List<Request> read(Path readme) throws IOException {
    return parse(Files.readString(readme));
  }

  /** The sequence in {@code readme}'s text; anything that is not a request line or a JSON body is an error. */
  static List<Request> parse(String readme) {
    int marker = readme.indexOf(MARKER);
    if (marker < 0) {
      throw new IllegalArgumentException("README: no \"" + MARKER + "\"");
    }
    int open = readme.indexOf("```json\n", marker);
    int close = readme.indexOf("\n```", open + 1);
    if (open < 0 || close < 0) {
      throw new IllegalArgumentException("README: no ```json block after \"" + MARKER + "\"");
    }
    List<Request> requests = new ArrayList<>();
    String[] lines = readme.substring(open + "```json\n".length(), close).split("\n", -1);
    for (int i = 0; i < lines.length; i++) {
      if (lines[i].isBlank()) {
        continue;
      }
      Matcher m = REQUEST.matcher(lines[i].strip());
      if (!m.matches()) {
        throw new IllegalArgumentException("README line \"" + lines[i] + "\": expected a request line (METHOD path)");
      }
      StringBuilder body = new StringBuilder();
      while (i + 1 < lines.length && !lines[i + 1].isBlank()) {
        body.append(lines[++i]).append('\n');
      }
      String json = body.isEmpty() ? null : body.toString();
      if (json != null) {
        try {
          strictObject(json);
        } catch (IOException | RuntimeException e) {
          throw new IllegalArgumentException("README body of " + m.group(0) + " is not one JSON object: " + json, e);
        }
      }
      String path = m.group(2).startsWith("/") ? m.group(2) : "/" + m.group(2);
      requests.add(new Request(m.group(1), path, json));
    }
    return requests;
  }

  /** Parses {@code json} as exactly one JSON object, strictly: no comments, nothing after it. */
  private static void strictObject(String json) throws IOException {
    try (JsonReader reader = new JsonReader(new java.io.StringReader(json))) {
      reader.setLenient(false);
      JsonElement element = new Gson().getAdapter(JsonElement.class).read(reader);
      if (!element.isJsonObject() || reader.peek() != JsonToken.END_DOCUMENT) {
        throw new IllegalArgumentException("not one JSON object");
      }
    }
  }
}
