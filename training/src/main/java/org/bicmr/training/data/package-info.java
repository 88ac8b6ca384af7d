/**
 * Paired image–text datasets on disk and in memory: the dataset directory (NumPy arrays and JSON), the seeded
 * query/database/training split, loaders for tags, MATLAB and feature files, and the synthetic main-vs-minor
 * benchmark. Uses Gson and readers of file formats; nothing of DJL, and no other training package.
 */
package org.bicmr.training.data;
