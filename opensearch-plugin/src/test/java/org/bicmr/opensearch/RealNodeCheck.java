package org.bicmr.opensearch;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.bicmr.codes.HashCode;
import org.bicmr.onnx.InferenceDevice;
import org.bicmr.onnx.InferenceOptions;
import org.bicmr.onnx.ModelBundle;

/**
 * Drives a real node with the plugin installed over HTTP (run by {@code src/test/real-node/run.sh}): models and
 * their failures, {@code _encode}, the pipeline, text and image searches compared with the encoder + brute force, and
 * bad input answered with a 4xx that names the problem while the index stays unchanged. Exits non-zero on the first
 * failed check.
 */
public final class RealNodeCheck {
  private static final List<String> WORDS = List.of("sunset", "beach", "sea", "dog", "puppy", "cat", "snow",
      "mountain", "night", "city", "lights", "flower", "macro", "baby", "car", "portrait", "girl", "clouds", "sky",
      "tree", "lake", "river", "food", "bird");
  private static final int DOCS = 200;
  private static final int MIH_DOCS = 20_000;

  private static RealNodeHttp node;

  private RealNodeCheck() {}

  public static void main(String[] args) throws Exception {
    node = new RealNodeHttp(args[0]);
    boolean first = args[1].equals("first");
    InferenceOptions cpu = new InferenceOptions(InferenceDevice.CPU, 1);
    try (ModelBundle text = ModelBundle.loadDefault(cpu);
        ModelBundle tiny = ModelBundle.load(Path.of("onnx-models/src/test/resources/org/bicmr/onnx/tiny-bundle"),
            cpu)) {
      JsonObject models = json(call("GET", "/_plugins/bicmr/models", null, 200));
      check(models.getAsJsonObject("models").has("bicmr-default"), "default model listed: " + models);
      check(models.getAsJsonObject("models").has("tiny"), "second bundle listed: " + models);
      JsonObject failed = models.getAsJsonObject("failed");
      check(failed.has("broken") && failed.get("broken").getAsString().contains("does not match its checksum"),
          "corrupt bundle refused, the others serve: " + failed);
      check(failed.has("outside") && failed.get("outside").getAsString().contains("points outside the models directory")
          && !models.getAsJsonObject("models").has("outside"), "a bundle outside the models directory is not read: "
          + failed);
      JsonObject jvm = json(call("GET", "/_nodes/jvm", null, 200));
      check(jvm.toString().contains("-javaagent:agent/opensearch-agent.jar"), "the node runs with OpenSearch's agent");
      System.out.println("models: " + models.getAsJsonObject("models").keySet() + "; refused: " + failed);

      JsonObject encoded = json(call("POST", "/_plugins/bicmr/_encode", "{\"text\": \"Sunset, beach sea\"}", 200));
      // the same string on both sides: a sentence encoder reads case and punctuation (its tokenizer lower-cases, but a
      // comma is a token), so "Sunset, beach sea" and "sunset beach sea" may differ by a few bits
      String expected = text.encoder().encodeText("Sunset, beach sea").toHex();
      check(encoded.get("code").getAsString().equals(expected), "_encode equals the encoder (" + expected + "): "
          + encoded);
      // a bag-of-words model says which words it read and which it ignored; the sentence encoder reads them all
      JsonObject words = json(call("POST", "/_plugins/bicmr/_encode", "{\"model\": \"tiny\", \"text\": "
          + "\"A giraffe on the beach\"}", 200));
      check(words.getAsJsonObject("words").toString().equals("{\"used\":[\"beach\"],\"ignored\":[\"a\",\"giraffe\","
          + "\"on\",\"the\"]}") && words.get("code").getAsString().equals(tiny.encoder().encodeText("beach").toHex()),
          "_encode names the words read and ignored: " + words);
      check(!encoded.has("words"), "the sentence encoder reads every word: " + encoded);
      float[] features = {0.5f, -1, 2, 0.25f, -0.75f, 1};
      JsonObject image = json(call("POST", "/_plugins/bicmr/_encode", "{\"model\": \"tiny\", \"image_features\": "
          + RealNodeHttp.array(features) + "}", 200));
      check(image.get("code").getAsString().equals(tiny.encoder().encodeImage(features).toHex()),
          "_encode image equals the encoder: " + image);

      if (first) {
        checkReadme(text);
      }

      Random random = new Random(7);
      List<String> captions = new ArrayList<>();
      List<float[]> vectors = new ArrayList<>();
      for (int i = 0; i < DOCS; i++) {
        captions.add(WORDS.get(random.nextInt(WORDS.size())) + " " + WORDS.get(random.nextInt(WORDS.size())));
        float[] v = new float[6];
        for (int j = 0; j < 6; j++) {
          v[j] = (float) random.nextGaussian();
        }
        vectors.add(v);
      }
      if (first) {
        call("PUT", "/items", "{\"settings\": {\"number_of_shards\": 3, \"number_of_replicas\": 0}, \"mappings\": "
            + "{\"properties\": {\"caption\": {\"type\": \"text\"}, \"features\": {\"type\": \"float\"}, "
            + "\"caption_code\": {\"type\": \"bicmr_code\", \"bits\": 64, \"model\": \"bicmr-default\"}, "
            + "\"image_code\": {\"type\": \"bicmr_code\", \"bits\": 16, \"model\": \"tiny\"}}}}", 200);
        call("PUT", "/_ingest/pipeline/hash", "{\"processors\": [{\"bicmr_hash\": {\"model\": \"bicmr-default\", "
            + "\"modality\": \"text\", \"field\": \"caption\", \"target_field\": \"caption_code\", \"batch_size\": 50}}, "
            + "{\"bicmr_hash\": {\"model\": \"tiny\", \"modality\": \"image\", \"field\": \"features\", "
            + "\"target_field\": \"image_code\", \"batch_size\": 50}}]}", 200);
        StringBuilder bulk = new StringBuilder();
        for (int i = 0; i < DOCS; i++) {
          bulk.append("{\"index\": {\"_index\": \"items\", \"_id\": \"").append(i).append("\"}}\n")
              .append("{\"caption\": \"").append(captions.get(i)).append("\", \"features\": ")
              .append(RealNodeHttp.array(vectors.get(i))).append("}\n");
        }
        JsonObject result = json(call("POST", "/_bulk?pipeline=hash&refresh=true", bulk.toString(), 200));
        check(!result.get("errors").getAsBoolean(), "bulk through the pipeline: " + result);
      }
      check(count() == DOCS, "documents indexed: " + count());

      List<HashCode> captionCodes = text.encoder().encodeTexts(captions);
      List<HashCode> imageCodes = tiny.encoder().encodeImages(vectors);
      for (String q : List.of("sunset", "dog puppy", "night city lights", "Snow, MOUNTAIN!", "bird tree")) {
        JsonObject hits = json(call("POST", "/items/_search", "{\"size\": 10, \"query\": {\"bicmr_hamming\": "
            + "{\"caption_code\": {\"text\": \"" + q + "\", \"model\": \"bicmr-default\", \"k\": 10}}}}", 200));
        compare(hits, captionCodes, text.encoder().encodeText(q), "text query \"" + q + "\"");
      }
      for (int i = 0; i < 5; i++) {
        float[] v = vectors.get(random.nextInt(DOCS));
        JsonObject hits = json(call("POST", "/items/_search", "{\"size\": 10, \"query\": {\"bicmr_hamming\": "
            + "{\"image_code\": {\"image_features\": " + RealNodeHttp.array(v) + ", \"model\": \"tiny\", \"k\": 10}}}}", 200));
        compare(hits, imageCodes, tiny.encoder().encodeImage(v), "image query " + i);
      }

      checkMultiIndexHashing(first);
      checkImages(first, cpu);
      checkSentencesToPictures(first, text);

      String q = "/items/_search";
      bad("PUT", "/items/_doc/x", "{\"caption_code\": \"abc\"}", "expected 16 hex characters");
      bad("PUT", "/items/_doc/x", "{\"caption_code\": \"zzzzzzzzzzzzzzzz\"}", "expected hex");
      bad("POST", q, hamming("\"text\": \"dog\", \"model\": \"nope\""), "unknown model [nope]");
      bad("PUT", "/typo", "{\"mappings\": {\"properties\": {\"c\": {\"type\": \"bicmr_code\", \"bits\": 32, "
          + "\"model\": \"bicmr-default\"}}}}", "is 32, but model [bicmr-default] gives 64-bit codes");
      bad("PUT", "/_ingest/pipeline/typo", "{\"processors\": [{\"bicmr_hash\": {\"model\": \"nope\", \"field\": "
          + "\"caption\", \"target_field\": \"caption_code\"}}]}", "unknown model [nope]");
      bad("POST", q, hamming("\"text\": \"dog\", \"model\": \"tiny\""), "holds codes of model [bicmr-default]");
      bad("POST", q, hamming("\"text\": \"dog\", \"k\": 0"), "[k] must be between 1 and 10000, got 0");
      bad("POST", q, hamming("\"text\": \"dog\", \"k\": 10001"), "[k] must be between 1 and 10000, got 10001");
      bad("POST", q, hamming("\"code\": \"00ff00ff00ff00ff\", \"max_distance\": 65"),
          "[max_distance] must be between 0 and 64");
      bad("POST", q, hamming("\"image_features\": [1, \"NaN\"]"), "expected numbers");
      bad("POST", "/items/_search", "{\"query\": {\"bicmr_hamming\": {\"image_code\": {\"image_features\": [1, 2], "
          + "\"model\": \"tiny\"}}}}", "takes 6 numbers, got 2");
      bad("POST", q, hamming("\"text\": \"  \""), "[text] is empty");
      bad("POST", q, hamming("\"text\": \"dog\", \"code\": \"00ff00ff00ff00ff\""), "give exactly one of");
      bad("POST", q, hamming("\"text\": \"dog\", \"model\": \"../tiny\""), "[model] must be a model name");
      bad("POST", q, hamming("\"text\": \"dog\", \"model\": \"a/b\""), "[model] must be a model name");
      bad("POST", "/_plugins/bicmr/_encode", "{\"model\": \"tiny\", \"text\": \"qwertyuiop\"}", "none of its words");
      check(count() == DOCS, "bad input left the index unchanged: " + count());
      checkStats(first);
      System.out.println("real node (" + (first ? "first start" : "after restart") + "): every check passed");
    }
  }

  /**
   * A field mapped with {@code "index": "multi_index_hashing"}: 20,000 random 32-bit codes in one shard and one
   * segment. Radius-1 queries must equal a brute-force scan and be answered from the substrings (explain says so); top
   * 10, too many substring lookups for the cost model, must be scanned and equal the brute-force ranking too.
   */
  /**
   * The README's OpenSearch sequence, run as written: every request succeeds, the filtered search finds the one
   * document it should, {@code _encode} equals the encoder; then its index and pipeline are removed again.
   */
  private static void checkReadme(ModelBundle text) throws Exception {
    List<ReadmeSnippets.Request> requests = ReadmeSnippets.read(Path.of("README.md"));
    String search = null;
    String encode = null;
    for (ReadmeSnippets.Request r : requests) {
      HttpResponse<String> response = node.send(r.method(), r.path(), r.body());
      check(response.statusCode() == 200 || response.statusCode() == 201, "README: " + r.method() + " " + r.path()
          + " → " + response.statusCode() + " " + response.body());
      if (r.path().endsWith("/_search")) {
        search = response.body();
      } else if (r.path().endsWith("/_encode")) {
        encode = response.body();
      }
    }
    check(search != null && encode != null, "README: a search and an _encode in the sequence: " + requests);
    var hits = json(search).getAsJsonObject("hits").getAsJsonArray("hits");
    check(hits.size() == 1 && hits.get(0).getAsJsonObject().getAsJsonObject("_source").get("license").getAsString()
        .equals("cc-by"), "README: the filtered search finds the cc-by document alone: " + search);
    String query = JsonParser.parseString(requests.get(requests.size() - 1).body()).getAsJsonObject().get("text")
        .getAsString();
    check(json(encode).get("code").getAsString().equals(text.encoder().encodeText(query).toHex()),
        "README: _encode equals the encoder: " + encode);
    call("DELETE", "/items", null, 200);
    call("DELETE", "/_ingest/pipeline/hash", null, 200);
    System.out.println("README: its OpenSearch sequence runs as written (" + requests.size() + " requests)");
  }

  private static void checkMultiIndexHashing(boolean first) throws Exception {
    Random random = new Random(11);
    List<HashCode> codes = new ArrayList<>();
    for (int i = 0; i < MIH_DOCS; i++) {
      byte[] bytes = new byte[4];
      random.nextBytes(bytes);
      codes.add(HashCode.fromBytes(bytes));
    }
    if (first) {
      call("PUT", "/codes", "{\"settings\": {\"number_of_shards\": 1, \"number_of_replicas\": 0}, \"mappings\": "
          + "{\"properties\": {\"code\": {\"type\": \"bicmr_code\", \"bits\": 32, "
          + "\"index\": \"multi_index_hashing\", \"substrings\": 2}}}}", 200);
      StringBuilder bulk = new StringBuilder();
      for (int i = 0; i < MIH_DOCS; i++) {
        bulk.append("{\"index\": {\"_index\": \"codes\", \"_id\": \"").append(i).append("\"}}\n")
            .append("{\"code\": \"").append(codes.get(i).toHex()).append("\"}\n");
      }
      JsonObject result = json(call("POST", "/_bulk", bulk.toString(), 200));
      check(!result.get("errors").getAsBoolean(), "bulk of codes: " + result.toString().substring(0, 300));
      call("POST", "/codes/_forcemerge?max_num_segments=1", null, 200);
      call("POST", "/codes/_refresh", null, 200);
    }
    JsonObject mapping = json(call("GET", "/codes/_mapping", null, 200));
    check(mapping.toString().contains("\"index\":\"multi_index_hashing\""), "mapping keeps the index option: "
        + mapping);
    for (int t = 0; t < 6; t++) {
      int target = random.nextInt(MIH_DOCS);
      byte[] query = codes.get(target).toBytes();
      if (t % 2 == 1) {
        query[random.nextInt(4)] ^= (byte) (1 << random.nextInt(8));
      }
      HashCode code = HashCode.fromBytes(query);
      JsonObject radius = json(call("POST", "/codes/_search", "{\"size\": 100, \"explain\": true, \"query\": "
          + "{\"bicmr_hamming\": {\"code\": {\"code\": \"" + code.toHex() + "\", \"k\": 10000, "
          + "\"max_distance\": 1}}}}", 200));
      JsonArray hits = radius.getAsJsonObject("hits").getAsJsonArray("hits");
      List<Integer> ids = new ArrayList<>();
      for (var h : hits) {
        ids.add(Integer.parseInt(h.getAsJsonObject().get("_id").getAsString()));
        check(h.getAsJsonObject().get("_explanation").toString().contains("segment searched by multi-index hashing"),
            "radius 1 answered from the substrings: " + h);
      }
      List<Integer> expected = new ArrayList<>();
      for (int i = 0; i < MIH_DOCS; i++) {
        if (codes.get(i).distance(code) <= 1) {
          expected.add(i);
        }
      }
      ids.sort(null);
      check(ids.equals(expected), "radius 1 around " + code.toHex() + ": " + ids + " vs brute force " + expected);
      JsonObject top = json(call("POST", "/codes/_search", "{\"size\": 10, \"explain\": true, \"query\": "
          + "{\"bicmr_hamming\": {\"code\": {\"code\": \"" + code.toHex() + "\", \"k\": 10}}}}", 200));
      compare(top, codes, code, "top 10 over multi-index hashing mapping");
      check(top.toString().contains("segment searched by scan"), "top 10 scanned: " + top);
    }
    System.out.println("multi-index hashing mapping: radius 1 from the substrings, top 10 by scan, both exact");
  }

  /**
   * The {@code tiny-image} bundle (an image feature extractor inside): {@code _encode} of base64 PNG, a bulk of PNG and
   * JPEG documents through the pipeline where the bad images fail alone, image queries equal to brute force.
   */
  private static void checkImages(boolean first, InferenceOptions cpu) throws Exception {
    List<byte[]> images = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      images.add(image(12 + i, 40 - i / 2, i, i % 5 == 4 ? "jpeg" : "png"));
    }
    JsonObject models = json(call("GET", "/_plugins/bicmr/models", null, 200)).getAsJsonObject("models");
    check(models.getAsJsonObject("tiny-image").get("image_bytes").getAsBoolean()
        && models.getAsJsonObject("tiny-image").getAsJsonObject("image_preprocessing").get("width").getAsInt() == 32
        && !models.getAsJsonObject("tiny").get("image_bytes").getAsBoolean(), "models say which take image bytes: "
        + models);
    try (ModelBundle bundle = ModelBundle.load(Path.of(
        "onnx-models/src/test/resources/org/bicmr/onnx/tiny-image-bundle"), cpu)) {
      List<HashCode> codes = bundle.encoder().encodeImageBytes(images);
      JsonObject encoded = json(call("POST", "/_plugins/bicmr/_encode", "{\"model\": \"tiny-image\", \"image\": \""
          + base64(images.get(3)) + "\"}", 200));
      check(encoded.get("code").getAsString().equals(codes.get(3).toHex()), "_encode image bytes: " + encoded);
      if (first) {
        call("PUT", "/photos", "{\"settings\": {\"number_of_shards\": 2, \"number_of_replicas\": 0}, \"mappings\": "
            + "{\"properties\": {\"photo\": {\"type\": \"binary\"}, \"photo_code\": {\"type\": \"bicmr_code\", "
            + "\"bits\": 16, \"model\": \"tiny-image\"}}}}", 200);
        call("PUT", "/_ingest/pipeline/photo", "{\"processors\": [{\"bicmr_hash\": {\"model\": \"tiny-image\", "
            + "\"modality\": \"image\", \"field\": \"photo\", \"target_field\": \"photo_code\", \"batch_size\": 16}}]}",
            200);
        StringBuilder bulk = new StringBuilder();
        byte[] whole = image(80, 80, 77, "png");
        List<String> bad = List.of(base64("no image".getBytes(java.nio.charset.StandardCharsets.US_ASCII)),
            base64(java.util.Arrays.copyOf(whole, whole.length / 2)), "@@@");
        for (int i = 0; i < images.size(); i++) {
          bulk.append("{\"index\": {\"_index\": \"photos\", \"_id\": \"").append(i).append("\"}}\n")
              .append("{\"photo\": \"").append(base64(images.get(i))).append("\"}\n");
          if (i % 13 == 5) {
            bulk.append("{\"index\": {\"_index\": \"photos\", \"_id\": \"bad").append(i / 13).append("\"}}\n")
                .append("{\"photo\": \"").append(bad.get(i / 13)).append("\"}\n");
          }
        }
        JsonObject result = json(call("POST", "/_bulk?pipeline=photo&refresh=true", bulk.toString(), 200));
        check(result.get("errors").getAsBoolean(), "bad images reported: " + result);
        List<String> failed = new ArrayList<>();
        for (var item : result.getAsJsonArray("items")) {
          JsonObject index = item.getAsJsonObject().getAsJsonObject("index");
          if (index.has("error")) {
            failed.add(index.get("_id").getAsString() + ": " + index.get("error"));
          }
        }
        check(failed.size() == 3 && failed.get(0).startsWith("bad0: ") && failed.get(0).contains("[bicmr_hash] field "
            + "[photo]: image: not a PNG or JPEG") && failed.get(1).contains("is truncated or corrupt")
            && failed.get(2).contains("is not valid base64"), "only the bad images fail, each named: " + failed);
        System.out.println("bad images in a bulk: " + failed);
      }
      long count = json(call("GET", "/photos/_count", null, 200)).get("count").getAsLong();
      check(count == images.size(), "image documents indexed: " + count);
      for (int i = 0; i < 3; i++) {
        byte[] query = images.get(i * 11);
        JsonObject hits = json(call("POST", "/photos/_search", "{\"size\": 10, \"_source\": false, \"query\": "
            + "{\"bicmr_hamming\": {\"photo_code\": {\"image\": \"" + base64(query) + "\", \"model\": \"tiny-image\", "
            + "\"k\": 10}}}}", 200));
        compare(hits, codes, codes.get(i * 11), "image bytes query " + i);
      }
      bad("POST", "/photos/_search", "{\"query\": {\"bicmr_hamming\": {\"photo_code\": {\"image\": \""
          + base64(new byte[] {'G', 'I', 'F', '8', '9', 'a', 1, 0, 1, 0}) + "\", \"model\": \"tiny-image\"}}}}",
          "[bicmr_hamming] field [photo_code] [image]: image: not a PNG or JPEG");
      bad("POST", "/_plugins/bicmr/_encode", "{\"model\": \"tiny\", \"image\": \"" + base64(images.get(0)) + "\"}",
          "model [tiny] has no image feature extractor");
      System.out.println("images: _encode, pipeline and queries of base64 PNG/JPEG equal the encoder + brute force");
    }
  }

  /**
   * The default model end to end: pictures (drawn here, PNG and JPEG) indexed through the pipeline by the bundled
   * image extractor and image net, typed sentences searched against them through the sentence encoder and the text net;
   * every answer equals the in-process encoder followed by a brute-force scan.
   */
  private static void checkSentencesToPictures(boolean first, ModelBundle bundle) throws Exception {
    List<byte[]> pictures = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      pictures.add(image(48 + i, 64 - i, 100 + i, i % 3 == 2 ? "jpeg" : "png"));
    }
    List<HashCode> codes = bundle.encoder().encodeImageBytes(pictures);
    if (first) {
      call("PUT", "/pictures", "{\"settings\": {\"number_of_shards\": 2, \"number_of_replicas\": 0}, \"mappings\": "
          + "{\"properties\": {\"picture\": {\"type\": \"binary\"}, \"picture_code\": {\"type\": \"bicmr_code\", "
          + "\"bits\": 64, \"model\": \"bicmr-default\"}}}}", 200);
      call("PUT", "/_ingest/pipeline/picture", "{\"processors\": [{\"bicmr_hash\": {\"model\": \"bicmr-default\", "
          + "\"modality\": \"image\", \"field\": \"picture\", \"target_field\": \"picture_code\"}}]}", 200);
      StringBuilder bulk = new StringBuilder();
      for (int i = 0; i < pictures.size(); i++) {
        bulk.append("{\"index\": {\"_index\": \"pictures\", \"_id\": \"").append(i).append("\"}}\n")
            .append("{\"picture\": \"").append(base64(pictures.get(i))).append("\"}\n");
      }
      JsonObject result = json(call("POST", "/_bulk?pipeline=picture&refresh=true", bulk.toString(), 200));
      check(!result.get("errors").getAsBoolean(), "pictures through the default model's pipeline: " + result);
    }
    for (String sentence : List.of("a red apple on a table", "a vehicle used by firefighters", "it is raining")) {
      JsonObject hits = json(call("POST", "/pictures/_search", "{\"size\": 10, \"_source\": false, \"query\": "
          + "{\"bicmr_hamming\": {\"picture_code\": {\"text\": \"" + sentence + "\", \"k\": 10}}}}", 200));
      compare(hits, codes, bundle.encoder().encodeText(sentence), "sentence \"" + sentence + "\" to pictures");
    }
    JsonObject encoded = json(call("POST", "/_plugins/bicmr/_encode", "{\"image\": \"" + base64(pictures.get(4))
        + "\"}", 200));
    check(encoded.get("code").getAsString().equals(codes.get(4).toHex()), "_encode of a picture by the default model: "
        + encoded);
    System.out.println("default model: sentences to pictures through the node equal the encoder + brute force");
  }

  private static byte[] image(int width, int height, long seed, String format) throws java.io.IOException {
    java.awt.image.BufferedImage im = new java.awt.image.BufferedImage(width, height,
        java.awt.image.BufferedImage.TYPE_INT_ARGB);
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        im.setRGB(x, y, (x * 4 / width + (y * 4 / height) * 4) * 0x0f0d0b + (int) (seed * 0x010305) | 0xff000000);
      }
    }
    if (format.equals("jpeg")) {
      java.awt.image.BufferedImage rgb = new java.awt.image.BufferedImage(width, height,
          java.awt.image.BufferedImage.TYPE_INT_RGB);
      rgb.getGraphics().drawImage(im, 0, 0, null);
      im = rgb;
    }
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    check(javax.imageio.ImageIO.write(im, format, out), "no " + format + " writer");
    return out.toByteArray();
  }

  private static String base64(byte[] bytes) {
    return java.util.Base64.getEncoder().encodeToString(bytes);
  }

  private static String hamming(String body) {
    return "{\"query\": {\"bicmr_hamming\": {\"caption_code\": {" + body + "}}}}";
  }

  private static void compare(JsonObject response, List<HashCode> codes, HashCode query, String what) {
    List<Integer> expected = new ArrayList<>();
    for (HashCode c : codes) {
      expected.add(c.distance(query));
    }
    expected.sort(null);
    JsonArray hits = response.getAsJsonObject("hits").getAsJsonArray("hits");
    List<Integer> actual = new ArrayList<>();
    for (var h : hits) {
      JsonObject hit = h.getAsJsonObject();
      int id = Integer.parseInt(hit.get("_id").getAsString());
      int d = Math.round(1 / hit.get("_score").getAsFloat() - 1);
      check(d == codes.get(id).distance(query), what + ": hit " + id + " distance " + d);
      actual.add(d);
    }
    check(actual.equals(expected.subList(0, 10)), what + ": " + actual + " vs brute force " + expected.subList(0, 10));
  }

  private static long count() throws Exception {
    return json(call("GET", "/items/_count", null, 200)).get("count").getAsLong();
  }

  private static void bad(String method, String path, String body, String fragment) throws Exception {
    HttpResponse<String> r = node.send(method, path, body);
    check(r.statusCode() >= 400 && r.statusCode() < 500 && r.body().contains(fragment),
        method + " " + path + " " + body + " → " + r.statusCode() + " " + r.body());
  }

  /**
   * {@code _plugins/bicmr/stats} after the checks: the searches loaded code arrays (held within the limit, charged to
   * the breaker), and the default model's encode calls were counted for queries, for {@code _encode} and (on the first
   * start, which ingests) for the pipeline.
   */
  private static void checkStats(boolean first) throws Exception {
    JsonObject nodes = json(call("GET", "/_plugins/bicmr/stats", null, 200)).getAsJsonObject("nodes");
    check(nodes.size() == 1, "stats of one node: " + nodes);
    JsonObject stats = nodes.entrySet().iterator().next().getValue().getAsJsonObject();
    JsonObject codes = stats.getAsJsonObject("codes");
    check(codes.get("loads").getAsLong() > 0 && codes.get("held_in_bytes").getAsLong() > 0
        && codes.get("held_in_bytes").getAsLong() <= codes.get("limit_in_bytes").getAsLong()
        && codes.get("held_in_bytes").getAsLong() == stats.getAsJsonObject("breaker").get("estimated_size_in_bytes")
        .getAsLong(), "stats: code arrays loaded, held within the limit and charged to the breaker: " + stats);
    JsonObject bySource = stats.getAsJsonObject("encode").getAsJsonObject("bicmr-default").getAsJsonObject("by_source");
    check(bySource.getAsJsonObject("query").get("calls").getAsLong() > 0
        && bySource.getAsJsonObject("api").get("calls").getAsLong() > 0
        && (!first || bySource.getAsJsonObject("ingest").get("inputs").getAsLong() >= DOCS),
        "stats: the default model's encode calls counted per source: " + bySource);
    System.out.println("stats: " + stats);
  }

  private static String call(String method, String path, String body, int status) throws Exception {
    HttpResponse<String> r = node.send(method, path, body);
    check(r.statusCode() == status, method + " " + path + " → " + r.statusCode() + " " + r.body());
    return r.body();
  }

  private static JsonObject json(String body) {
    return JsonParser.parseString(body).getAsJsonObject();
  }

  private static void check(boolean ok, String what) {
    if (!ok) {
      System.err.println("FAILED: " + what);
      System.exit(1);
    }
  }
}
