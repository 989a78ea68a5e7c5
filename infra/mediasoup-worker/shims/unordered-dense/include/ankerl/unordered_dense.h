// Stand-in for ankerl/unordered_dense.h (no Debian package): the worker only uses map, set and hash, which
// map onto the std containers. Those keep references and iterators stable across inserts and erases of
// other elements, i.e. they guarantee more than unordered_dense, so code written for it stays correct.
#ifndef ANKERL_UNORDERED_DENSE_H
#define ANKERL_UNORDERED_DENSE_H

#include <cstdint>
#include <functional>
#include <memory>
#include <type_traits>
#include <unordered_map>
#include <unordered_set>
#include <utility>

namespace ankerl::unordered_dense
{
	namespace detail
	{
		// unordered_dense's wyhash integer mixer (128-bit multiply, fold the halves). libstdc++ hashes
		// integers and pointers to themselves; the worker feeds these values into HashCombine(), so it
		// needs the real mixing to spread e.g. ports and addresses.
		inline std::uint64_t mix(std::uint64_t x) noexcept
		{
			const auto r = static_cast<unsigned __int128>(x) * UINT64_C(0x9E3779B97F4A7C15);

			return static_cast<std::uint64_t>(r) ^ static_cast<std::uint64_t>(r >> 64);
		}
	} // namespace detail

	// Anything else (std::string, ...) uses std::hash, like unordered_dense's generic case.
	template<class T, class Enable = void>
	struct hash : std::hash<T>
	{
	};

	template<class T>
	struct hash<T, std::enable_if_t<std::is_integral_v<T> || std::is_enum_v<T>>>
	{
		std::uint64_t operator()(const T& obj) const noexcept
		{
			return detail::mix(static_cast<std::uint64_t>(obj));
		}
	};

	template<class T>
	struct hash<T*>
	{
		std::uint64_t operator()(T* ptr) const noexcept
		{
			return detail::mix(reinterpret_cast<std::uintptr_t>(ptr));
		}
	};

	template<
	  class Key,
	  class T,
	  class Hash      = hash<Key>,
	  class KeyEqual  = std::equal_to<Key>,
	  class Allocator = std::allocator<std::pair<const Key, T>>>
	using map = std::unordered_map<Key, T, Hash, KeyEqual, Allocator>;

	template<class Key, class Hash = hash<Key>, class KeyEqual = std::equal_to<Key>, class Allocator = std::allocator<Key>>
	using set = std::unordered_set<Key, Hash, KeyEqual, Allocator>;
} // namespace ankerl::unordered_dense

#endif
