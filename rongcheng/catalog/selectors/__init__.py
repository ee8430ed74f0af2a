"""Reads of the catalogue for the storefront and the API, one module per concern:

- `categories`: the category tree, key attributes, the categories with goods on sale
- `cards`: product cards and the lists made of them (new, hot, special price, by ids)
- `brands`: the brand hall, featured and hot brands, brands and categories of each other
- `detail`: everything the product page shows of the product itself
- `filtering`: goods narrowed by what shoppers choose (category, brand, price, words)

Every selector issues a fixed number of queries, whatever the size of the catalogue: lists
annotate what a card needs (brand, thumbnail, special price in force) in one query.
"""
