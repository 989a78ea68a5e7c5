/* Empty translation unit: the worker link_whole()s a static library from each subproject. */
