from ninja import NinjaAPI

api = NinjaAPI(title="Binakarya API", version="1", urls_namespace="api")
