package org.bicmr.lucene;

import java.util.Objects;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.tokenattributes.BytesTermAttribute;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.FieldType;
import org.apache.lucene.index.IndexOptions;
import org.apache.lucene.util.BytesRef;
import org.bicmr.codes.HashCode;

/**
 * The multi-index-hashing companion of a {@link HashCodeField} (Norouzi, Punjani and Fleet, CVPR 2012): the code split
 * into m disjoint substrings, each indexed as a term of field {@code name + SUFFIX}. Add it beside the {@code
 * HashCodeField} of the same name and code; {@link HammingDistanceQuery} then answers small radii and top k from the
 * substrings' postings (exactly: by the pigeonhole argument every code within r of the query matches some substring
 * within ⌊r/m⌋) when that costs less than the scan, segment by segment, and scans otherwise.
 */
public final class HashCodeSubstringsField extends Field {
  /** Appended to the code field's name to name the substrings' field. */
  public static final String SUFFIX = "$mih";
  /** Field attribute: the number of substrings m. */
  public static final String SUBSTRINGS_ATTRIBUTE = "bicmr.mih.substrings";

  private final HashCode code;
  private final int substrings;

  /**
   * The substrings of {@code code}, for the code field {@code name}.
   *
   * @param substrings m, from ⌈l/64⌉ to min(l, 255); about l / log2(documents) is the paper's choice
   * @throws NullPointerException if {@code name} or {@code code} is null (naming the parameter, as Lucene's own fields
   *     do)
   * @throws IllegalArgumentException if {@code substrings} is outside that range
   */
  public HashCodeSubstringsField(String name, HashCode code, int substrings) {
    super(Objects.requireNonNull(name, "name") + SUFFIX, type(code, substrings));
    this.code = code;
    this.substrings = substrings;
  }

  private static FieldType type(HashCode code, int m) {
    Objects.requireNonNull(code, "code");
    MultiIndexHashing.check(code.bits(), m);
    FieldType type = new FieldType();
    type.setIndexOptions(IndexOptions.DOCS);
    type.setOmitNorms(true);
    type.setTokenized(false);
    type.putAttribute(SUBSTRINGS_ATTRIBUTE, Integer.toString(m));
    type.putAttribute(HashCodeField.BITS_ATTRIBUTE, Integer.toString(code.bits()));
    type.freeze();
    return type;
  }

  /**
   * Checks that {@code bits}-bit codes split into {@code substrings} substrings of at most 64 bits each.
   *
   * @throws IllegalArgumentException naming the allowed range otherwise
   */
  public static void checkSubstrings(int bits, int substrings) {
    MultiIndexHashing.check(bits, substrings);
  }

  /** The m suggested for {@code documents} documents of {@code bits}-bit codes: substrings of about log2(n) bits. */
  public static int suggestedSubstrings(int bits, long documents) {
    int substringBits = Math.max(1, 64 - Long.numberOfLeadingZeros(Math.max(2, documents) - 1)); // ⌈log2 n⌉
    int m = Math.max(1, Math.round(bits / (float) substringBits));
    return Math.min(Math.max(m, (bits + 63) / 64), Math.min(bits, 255));
  }

  @Override
  public TokenStream tokenStream(Analyzer analyzer, TokenStream reuse) {
    SubstringTokens stream = reuse instanceof SubstringTokens previous ? previous : new SubstringTokens();
    stream.set(new MultiIndexHashing(code.bits(), substrings), code);
    return stream;
  }

  /** The m terms of one code. */
  private static final class SubstringTokens extends TokenStream {
    private final BytesTermAttribute term = addAttribute(BytesTermAttribute.class);
    private MultiIndexHashing layout;
    private long[] words;
    private int next;

    void set(MultiIndexHashing layout, HashCode code) {
      this.layout = layout;
      this.words = code.words();
    }

    @Override
    public boolean incrementToken() {
      if (next >= layout.substrings()) {
        return false;
      }
      clearAttributes();
      term.setBytesRef(new BytesRef(layout.term(next, layout.substring(words, next))));
      next++;
      return true;
    }

    @Override
    public void reset() {
      next = 0;
    }
  }
}
