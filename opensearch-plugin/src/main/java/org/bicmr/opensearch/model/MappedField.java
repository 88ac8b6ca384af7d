package org.bicmr.opensearch.model;

/**
 * A {@code bicmr_code} field whose mapping names a model: a reload refuses a bundle of that name whose code length is
 * not the field's {@code bits}.
 *
 * @param index the index
 * @param field the field's full path
 * @param bits the field's code length
 */
public record MappedField(String index, String field, int bits) {}
