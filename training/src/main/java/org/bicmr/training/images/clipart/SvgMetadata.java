package org.bicmr.training.images.clipart;

import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import javax.xml.XMLConstants;
import javax.xml.parsers.ParserConfigurationException;
import javax.xml.parsers.SAXParser;
import javax.xml.parsers.SAXParserFactory;
import org.xml.sax.Attributes;
import org.xml.sax.InputSource;
import org.xml.sax.SAXException;
import org.xml.sax.SAXParseException;
import org.xml.sax.helpers.DefaultHandler;

/**
 * The Dublin Core metadata an Open Clip Art SVG carries in its {@code <metadata><rdf:RDF><cc:Work>}: the work's
 * {@code dc:title} (not the titles of its {@code cc:Agent}s — creator, publisher, rights), the keywords of
 * {@code dc:subject} (each {@code rdf:li} of its {@code rdf:Bag}, or a plain comma-separated text) and
 * {@code dc:description}. When there is no {@code dc:title}, the SVG's own {@code <title>} is taken.
 *
 * <p>Read with the JDK's SAX parser in secure mode: external entities and external DTDs are never loaded (an
 * external entity reference is left out of the text, nothing is fetched from disk or network); internal entities of
 * the document's own DTD subset expand, within the JDK's secure-processing limits. Parsing stops at the end of the
 * first {@code <metadata>} element.
 *
 * @param title the work's title, stripped; empty when there is none
 * @param keywords the keywords in document order, each stripped, empty ones and repeats left out
 * @param description the description, stripped; empty when there is none
 */
record SvgMetadata(String title, List<String> keywords, String description) {
  private static final String DC = "http://purl.org/dc/elements/1.1/";
  private static final String RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#";
  private static final String SVG = "http://www.w3.org/2000/svg";
  private static final SAXParserFactory FACTORY = factory();

  SvgMetadata {
    keywords = List.copyOf(keywords);
  }

  /** Whether the metadata has no title and no keyword. */
  boolean isEmpty() {
    return title.isEmpty() && keywords.isEmpty();
  }

  /**
   * Reads the metadata of one SVG document.
   *
   * @throws IOException when the bytes cannot be read or are not well-formed XML (the message says where and why)
   */
  static SvgMetadata read(InputStream svg) throws IOException {
    Handler handler = new Handler();
    try {
      SAXParser parser = FACTORY.newSAXParser();
      parser.setProperty(XMLConstants.ACCESS_EXTERNAL_DTD, "");
      parser.setProperty(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
      InputSource source = new InputSource(svg);
      parser.getXMLReader().setEntityResolver((publicId, systemId) -> new InputSource(new StringReader("")));
      parser.getXMLReader().setContentHandler(handler);
      parser.getXMLReader().setErrorHandler(handler);
      parser.getXMLReader().parse(source);
    } catch (EndOfMetadata done) {
      // the metadata is complete
    } catch (SAXParseException e) {
      throw new IOException("not well-formed XML at line " + e.getLineNumber() + ", column " + e.getColumnNumber()
          + ": " + e.getMessage(), e);
    } catch (SAXException e) {
      throw new IOException("not readable XML: " + e.getMessage(), e);
    } catch (ParserConfigurationException e) {
      throw new IllegalStateException("the JDK's SAX parser refuses the secure settings", e);
    }
    return handler.result();
  }

  private static SAXParserFactory factory() {
    SAXParserFactory f = SAXParserFactory.newInstance();
    f.setNamespaceAware(true);
    f.setValidating(false);
    try {
      f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
      f.setFeature("http://xml.org/sax/features/external-general-entities", false);
      f.setFeature("http://xml.org/sax/features/external-parameter-entities", false);
      f.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
      f.setXIncludeAware(false);
    } catch (ParserConfigurationException | SAXException e) {
      throw new IllegalStateException("the JDK's SAX parser does not take the secure settings", e);
    }
    return f;
  }

  /** Thrown to stop parsing once the metadata element has ended. */
  private static final class EndOfMetadata extends SAXException {
    EndOfMetadata() {
      super("end of metadata");
    }
  }

  /** Collects title, keywords and description while the parser walks the document. */
  private static final class Handler extends DefaultHandler {
    private final Deque<String> path = new ArrayDeque<>();
    private final Set<String> keywords = new LinkedHashSet<>();
    private final StringBuilder text = new StringBuilder();
    private String workTitle;
    private String otherTitle;
    private String svgTitle;
    private String description;
    private boolean inMetadata;

    @Override
    public void startElement(String uri, String local, String qName, Attributes attributes) {
      if (SVG.equals(uri) && "metadata".equals(local)) {
        inMetadata = true;
      }
      path.push(uri + " " + local);
      text.setLength(0);
    }

    @Override
    public void characters(char[] ch, int start, int length) {
      text.append(ch, start, length);
    }

    @Override
    public void endElement(String uri, String local, String qName) throws SAXException {
      String element = path.pop();
      String parent = path.isEmpty() ? "" : path.peek();
      String value = text.toString().strip();
      text.setLength(0);
      if (DC.equals(uri) && "title".equals(local)) {
        if (parent.endsWith(" Work") && workTitle == null) {
          workTitle = value;
        } else if (!parent.endsWith(" Agent") && otherTitle == null) {
          otherTitle = value;
        }
      } else if (DC.equals(uri) && "description".equals(local) && description == null) {
        description = value;
      } else if (RDF.equals(uri) && "li".equals(local) && inside(DC + " subject")) {
        add(value);
      } else if (DC.equals(uri) && "subject".equals(local)) {
        for (String k : value.split(",")) {
          add(k);
        }
      } else if (SVG.equals(uri) && "title".equals(local) && !inMetadata && svgTitle == null) {
        svgTitle = value;
      }
      if (SVG.equals(uri) && "metadata".equals(local)) {
        throw new EndOfMetadata();
      }
      assert element.equals(uri + " " + local);
    }

    private boolean inside(String element) {
      return path.contains(element);
    }

    private void add(String keyword) {
      String k = keyword.strip();
      if (!k.isEmpty()) {
        keywords.add(k);
      }
    }

    @Override
    public void skippedEntity(String name) {
      // an external entity: left out, never resolved
    }

    @Override
    public void warning(SAXParseException e) {
      // warnings do not stop reading
    }

    @Override
    public void error(SAXParseException e) throws SAXException {
      throw e;
    }

    SvgMetadata result() {
      String title = workTitle != null && !workTitle.isEmpty() ? workTitle
          : otherTitle != null && !otherTitle.isEmpty() ? otherTitle : svgTitle != null ? svgTitle : "";
      return new SvgMetadata(title, new ArrayList<>(keywords), description == null ? "" : description);
    }
  }
}
