package org.bicmr.opensearch;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.apache.lucene.search.Query;
import org.opensearch.core.common.io.stream.StreamInput;
import org.opensearch.core.common.io.stream.StreamOutput;
import org.opensearch.core.xcontent.XContentBuilder;
import org.opensearch.core.xcontent.XContentParser;
import org.opensearch.index.query.AbstractQueryBuilder;
import org.opensearch.index.query.MatchAllQueryBuilder;
import org.opensearch.index.query.QueryBuilder;
import org.opensearch.index.query.QueryRewriteContext;
import org.opensearch.index.query.QueryShardContext;
import org.opensearch.ingest.AbstractProcessor;
import org.opensearch.ingest.IngestDocument;
import org.opensearch.ingest.Processor;
import org.opensearch.plugins.IngestPlugin;
import org.opensearch.plugins.Plugin;
import org.opensearch.plugins.SearchPlugin;

/**
 * A test plugin that runs {@link #action} in the middle of a request: the {@code test_reload} processor runs it for
 * each document between two other processors, the {@code test_reload} query runs it when it is rewritten (then
 * matches everything), before the clauses after it in a {@code bool} query are encoded. {@link ModelReloadIntegTests}
 * reloads every node's models with it.
 */
public final class ReloadMidRequest extends Plugin implements IngestPlugin, SearchPlugin {
  static final String NAME = "test_reload";
  /** What runs mid-request; nothing by default. */
  static volatile Runnable action = () -> {};

  @Override
  public Map<String, Processor.Factory> getProcessors(Processor.Parameters parameters) {
    return Map.of(NAME, (factories, tag, description, config) -> new AbstractProcessor(tag, description) {
      @Override
      public IngestDocument execute(IngestDocument document) {
        action.run();
        return document;
      }

      @Override
      public String getType() {
        return NAME;
      }
    });
  }

  @Override
  public List<QuerySpec<?>> getQueries() {
    return List.of(new QuerySpec<>(NAME, Query::new, Query::fromXContent));
  }

  /** Runs {@link #action} at its rewrite and becomes {@code match_all}. */
  static final class Query extends AbstractQueryBuilder<Query> {
    Query() {}

    Query(StreamInput in) throws IOException {
      super(in);
    }

    static Query fromXContent(XContentParser parser) throws IOException {
      while (parser.nextToken() != XContentParser.Token.END_OBJECT) {
        parser.skipChildren();
      }
      return new Query();
    }

    @Override
    protected void doWriteTo(StreamOutput out) {}

    @Override
    protected void doXContent(XContentBuilder builder, Params params) throws IOException {
      builder.startObject(NAME);
      printBoostAndQueryName(builder);
      builder.endObject();
    }

    @Override
    protected QueryBuilder doRewrite(QueryRewriteContext context) {
      action.run();
      return new MatchAllQueryBuilder();
    }

    @Override
    protected org.apache.lucene.search.Query doToQuery(QueryShardContext context) {
      throw new IllegalStateException("[" + NAME + "] must be rewritten first");
    }

    @Override
    protected boolean doEquals(Query other) {
      return true;
    }

    @Override
    protected int doHashCode() {
      return 0;
    }

    @Override
    public String getWriteableName() {
      return NAME;
    }
  }
}
