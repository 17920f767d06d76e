// The one translation unit that compiles Asio's and Beast's implementation for the load generator.
#include <boost/asio/impl/src.hpp>
#include <boost/beast/src.hpp>
