package org.bicmr.training.images.clipart;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Title, keywords and description from hand-written SVGs, and what a hostile or broken SVG cannot do. */
class SvgMetadataTest {
  /** An Open Clip Art style document around {@code work} (the content of {@code cc:Work}). */
  static String svg(String work) {
    return """
        <?xml version="1.0" encoding="UTF-8" standalone="no"?>
        <svg xmlns="http://www.w3.org/2000/svg" xmlns:dc="http://purl.org/dc/elements/1.1/"
             xmlns:cc="http://web.resource.org/cc/" xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"
             width="10" height="10" id="svg2">
          <metadata><rdf:RDF><cc:Work rdf:about="">%s</cc:Work></rdf:RDF></metadata>
          <rect width="10" height="10"/>
        </svg>
        """.formatted(work);
  }

  private static SvgMetadata read(String document) throws IOException {
    return SvgMetadata.read(new ByteArrayInputStream(document.getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void theWorksTitleKeywordsAndDescriptionNotTheAgentsTitles() throws Exception {
    SvgMetadata m = read(svg("""
        <dc:title> Red  apple </dc:title>
        <dc:description>A shiny apple.</dc:description>
        <dc:subject><rdf:Bag><rdf:li>fruit</rdf:li><rdf:li> food </rdf:li><rdf:li></rdf:li><rdf:li>fruit</rdf:li>
          <rdf:li>red apple</rdf:li></rdf:Bag></dc:subject>
        <dc:publisher><cc:Agent rdf:about="http://www.openclipart.org/"><dc:title>Open Clip Art Library</dc:title>
          </cc:Agent></dc:publisher>
        <dc:creator><cc:Agent><dc:title>Jane Doe</dc:title></cc:Agent></dc:creator>"""));
    assertEquals(new SvgMetadata("Red  apple", List.of("fruit", "food", "red apple"), "A shiny apple."), m);
  }

  @Test
  void anAgentsTitleBeforeTheWorksIsNotTheTitle() throws Exception {
    SvgMetadata m = read(svg("""
        <dc:creator><cc:Agent><dc:title>Jane Doe</dc:title></cc:Agent></dc:creator>
        <dc:title>Pear</dc:title>"""));
    assertEquals("Pear", m.title());
  }

  @Test
  void aPlainSubjectIsSplitOnCommas() throws Exception {
    assertEquals(List.of("cat", "black cat", "animal"),
        read(svg("<dc:title>Cat</dc:title><dc:subject>cat, black cat,,animal </dc:subject>")).keywords());
  }

  @Test
  void withoutMetadataTheSvgTitleOrNothing() throws Exception {
    String bare = """
        <svg xmlns="http://www.w3.org/2000/svg"><title>Blue star</title><rect width="1" height="1"/></svg>""";
    assertEquals(new SvgMetadata("Blue star", List.of(), ""), read(bare));
    SvgMetadata none = read("<svg xmlns=\"http://www.w3.org/2000/svg\"><rect width=\"1\" height=\"1\"/></svg>");
    assertTrue(none.isEmpty());
    assertTrue(read(svg("<dc:title></dc:title><dc:subject><rdf:Bag/></dc:subject>")).isEmpty());
  }

  @Test
  void malformedXmlIsAnErrorSayingWhere() {
    IOException e = assertThrows(IOException.class, () -> read(svg("<dc:title>Broken</dc:subject>")));
    assertTrue(e.getMessage().startsWith("not well-formed XML at line 5, column "), e.getMessage());
    assertThrows(IOException.class, () -> read("<svg"));
    assertThrows(IOException.class, () -> read(""));
  }

  @Test
  void internalEntitiesExpandAsAdobeIllustratorFilesUseThem() throws Exception {
    String adobe = """
        <?xml version="1.0"?>
        <!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.0//EN" "http://www.w3.org/TR/2001/REC-SVG-20010904/DTD/svg10.dtd" [
          <!ENTITY ns_svg "http://www.w3.org/2000/svg">
          <!ENTITY what "Green pear">
        ]>
        <svg xmlns="&ns_svg;" xmlns:dc="http://purl.org/dc/elements/1.1/"
             xmlns:cc="http://web.resource.org/cc/" xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
          <metadata><rdf:RDF><cc:Work><dc:title>&what;</dc:title></cc:Work></rdf:RDF></metadata>
        </svg>""";
    // the external DTD (a URL) is neither fetched nor needed
    assertEquals("Green pear", read(adobe).title());
  }

  @Test
  void anExternalEntityIsNeverResolved(@TempDir Path tmp) throws Exception {
    Path secret = Files.writeString(tmp.resolve("secret.txt"), "TOPSECRET");
    String hostile = """
        <?xml version="1.0"?>
        <!DOCTYPE svg [
          <!ENTITY leak SYSTEM "%s">
          <!ENTITY remote SYSTEM "http://127.0.0.1:9/nothing-listens-here">
          <!ENTITY %% param SYSTEM "%s">
          %%param;
        ]>
        <svg xmlns="http://www.w3.org/2000/svg" xmlns:dc="http://purl.org/dc/elements/1.1/"
             xmlns:cc="http://web.resource.org/cc/" xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
          <metadata><rdf:RDF><cc:Work><dc:title>Key &leak;&remote;</dc:title>
            <dc:subject><rdf:Bag><rdf:li>&leak;</rdf:li><rdf:li>lock</rdf:li></rdf:Bag></dc:subject>
          </cc:Work></rdf:RDF></metadata>
        </svg>""".formatted(secret.toUri(), secret.toUri());
    SvgMetadata m = read(hostile);
    assertEquals("Key", m.title());
    assertEquals(List.of("lock"), m.keywords());
    assertFalse(m.toString().contains("TOPSECRET"), m.toString());
  }

  @Test
  void parsingStopsAtTheEndOfTheMetadata() throws Exception {
    // everything after </metadata> is not read: not even this unclosed element fails
    String tail = svg("<dc:title>Early</dc:title>").replace("<rect width=\"10\" height=\"10\"/>\n</svg>", "<g>");
    assertEquals("Early", read(tail).title());
  }
}
